"""Demo-only pages."""
from django.shortcuts import render

from .models import SentMail


def outbox(request):
    """Mail the demo has 'sent' (supervisor links, reminders), newest first."""
    return render(request, "blended_demo/outbox.html", {"messages": SentMail.objects.all()[:100]})
