"""OLX for one instance of every block, each with its `url_name`, as a course export holds them."""
from tests.harness import GROUP_ASSIGNMENT, SUPERVISOR_AGREEMENT, application_call, webinar


def with_url_name(xml: str, url_name: str) -> str:
    tag_end = xml.index(" ")
    return f'{xml[:tag_end]} url_name="{url_name}"{xml[tag_end:]}'


BLOCKS = {
    "blended_application": application_call(),
    "blended_webinar": with_url_name(webinar(capacity="2", checkin="true", languages="en ar"), "webinar-3"),
    "blended_group_assignment": with_url_name(GROUP_ASSIGNMENT.strip(), "group-assignment-1"),
    "blended_supervisor_agreement": with_url_name(SUPERVISOR_AGREEMENT.format(weight="1"), "supervisor-agreement"),
    "blended_experience_sharing": with_url_name(
        '<blended_experience_sharing display_name="ES" session="webinar-7"/>', "experience-sharing-7"),
    "blended_progress": with_url_name(
        '<blended_progress display_name="Your programme" issuer="IOM">'
        '<requirement id="webinars" kind="attendance" blocks="blended_webinar/webinar-3"/>'
        '<requirement id="sharing" kind="participation" blocks="blended_experience_sharing/experience-sharing-7"/>'
        '</blended_progress>', "programme"),
}
