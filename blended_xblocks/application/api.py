"""What other blocks and reports may ask about calls for applications, without a runtime."""
from __future__ import annotations

from blended_xblocks.application import files, reminders, staff
from blended_xblocks.application.models import Application, ApplicationFile, ApplicationReview
from blended_xblocks.core.downloads import CSV, ZIP, Stream, producer
from blended_xblocks.platform.retirement import on_retirement

NOT_APPLIED = "not_applied"


def selections_in_bulk(course_key: str, usage_keys, learner_ids) -> dict:
    """Each learner's application status in each listed call, in one query whatever the cohort:
    {(usage_key, learner_id): {"status"}}; `not_applied` when there is none. `accepted` is the
    status of a learner who took their place."""
    usage_keys, learner_ids = list(usage_keys), list(learner_ids)
    outcomes = {(usage_key, learner_id): {"status": NOT_APPLIED} for usage_key in usage_keys for learner_id in learner_ids}
    rows = (Application.objects.filter(call__course_key=course_key, call__usage_key__in=usage_keys,
                                       learner_id__in=learner_ids)
            .values_list("call__usage_key", "learner_id", "status"))
    for usage_key, learner_id, status in rows:
        outcomes[(usage_key, learner_id)] = {"status": status}
    return outcomes


def forget_applications(learners):
    """A retired learner's applications go, with their answers, reviews and files; their name
    as a reviewer of others' applications is blanked."""
    user_ids = [user_id for user_id in learners.values_list("user_id", flat=True) if user_id]
    files.delete_all(list(ApplicationFile.objects.filter(application__learner__in=learners)))
    Application.objects.filter(learner__in=learners).delete()
    if user_ids:
        ApplicationReview.objects.filter(reviewer_id__in=user_ids).update(reviewer_name="")


def due_offer_reminders(now) -> list:
    """The applications whose open offer is due one reminder (the periodic command)."""
    return reminders.due_reminders(now)


def remind_offers(application_ids, now) -> int:
    return sum(reminders.send_reminder(pk, now) for pk in application_ids)


def lapse_offers(now) -> int:
    """Offers past their time lapse; the waitlist moves up. How many were offered a lapsed place."""
    return reminders.lapse_offers(now)


# Registrations (the app's ready() imports this module in every process: LMS, Studio, workers, commands).
on_retirement(forget_applications)


@producer("applications_csv")
def _applications_csv(ticket: dict) -> Stream:
    return Stream(staff.export_rows(ticket["usage"], ticket["questions"]), CSV)


@producer("application_files_zip")
def _application_files_zip(ticket: dict) -> Stream:
    return Stream(staff.zip_rows(ticket["usage"]), ZIP)


@producer("application_file")
def _application_file(ticket: dict) -> Stream:
    stored, chunks = files.open_stored(ticket["usage"], ticket["applicant"], ticket["question"])
    return Stream(chunks, stored.content_type, stored.size)
