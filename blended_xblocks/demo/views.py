"""Demo-only pages, and the workbench's scenario page with Studio's rule for editors."""
from django.conf import settings
from django.shortcuts import redirect, render
from workbench import views as workbench_views

from blended_xblocks.demo import cohorts
from blended_xblocks.demo.models import SentMail
from blended_xblocks.demo.people import is_course_staff

# Views that only Studio shows, and Studio only to the course's authors.
STUDIO_VIEWS = frozenset({"studio_view", "author_view"})


def outbox(request):
    """Mail the demo has 'sent' (supervisor links, reminders), newest first."""
    return render(request, "blended_demo/outbox.html", {"messages": SentMail.objects.all()[:100]})


def show_scenario(request, scenario_id, view_name="student_view", **options):
    """The workbench's page, except that a Studio view is refused to anyone but an author, as Studio
    refuses it (the LMS never renders it): a learner must not read the settings (a join link); and
    that the IOM programme sends a learner outside its cohort to the call (cohorts.py)."""
    student = workbench_views.get_student_id(request)
    if view_name in STUDIO_VIEWS and not is_course_staff(student):
        return render(request, "blended_demo/refused.html",
                      {"student_id": student, "authors": settings.BLENDED_DEMO_STAFF}, status=403)
    if scenario_id == cohorts.PROGRAMME and view_name == "student_view" and not cohorts.sees_programme(student):
        query = request.GET.copy()
        query["from"] = "programme"
        return redirect(f"/scenario/{cohorts.CALL}/?{query.urlencode()}")
    return workbench_views.show_scenario(request, scenario_id, view_name, **options)
