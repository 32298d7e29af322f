"""An e-mail backend that keeps messages in the database, so the demo can show an outbox."""
from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    """Keeps sent mail in the demo's outbox page instead of sending it."""

    def send_messages(self, email_messages):
        from blended_xblocks.demo.models import SentMail

        for message in email_messages:
            html = next((content for content, mimetype in getattr(message, "alternatives", [])
                         if mimetype == "text/html"), "")
            for recipient in message.recipients():
                SentMail.objects.create(to=recipient, sender=message.from_email, subject=message.subject,
                                        text=message.body, html=html)
        return len(email_messages)
