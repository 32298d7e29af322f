"""Links and handlers under attack: forged, tampered, expired, replayed, injected, malformed."""
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core import signing
from django.utils import timezone

from blended_xblocks.supervisor_agreement.models import SupervisorAgreement, SupervisorRequest
from blended_xblocks.supervisor_agreement.tokens import PURPOSE
from tests.harness import SUPERVISOR, ask, decide, last_mail, token_from
from tests.harness import SUPERVISOR_AGREEMENT as OLX
from tests.harness import review_page as page


@pytest.fixture
def usage(workbench):
    return workbench.load(OLX.format(weight="1"))


def snapshot():
    return list(SupervisorRequest.objects.order_by("pk").values()), list(SupervisorAgreement.objects.values())


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),   # signature altered
    lambda token: "x" + token,                                                    # payload altered
    lambda token: "",                                                             # missing
    lambda token: "a" * 5000,                                                     # huge
    lambda token: token.split(":")[0],                                            # no signature
])
def test_tampered_links_show_a_clear_page_and_change_nothing(workbench, usage, mangle):
    token = ask(workbench, usage)
    before = snapshot()
    shown = page(workbench, usage, mangle(token))
    assert shown.status == 400 and "not valid" in shown.body.decode()
    assert decide(workbench, usage, mangle(token)).status == 400
    assert snapshot() == before


def test_forged_token_with_another_secret_is_refused(workbench, usage):
    ask(workbench, usage)
    request = SupervisorRequest.objects.get()
    forged = signing.dumps({"r": request.pk, "a": "amina", "n": "x"}, key="guessed-secret",
                           salt=f"{PURPOSE}:{usage}", compress=True)
    assert decide(workbench, usage, forged).status == 400
    assert SupervisorRequest.objects.get().status == "pending"


def test_token_for_one_learner_cannot_decide_for_another(workbench, usage):
    ask(workbench, usage, student="amina")
    ask(workbench, usage, student="yusuf")
    yusuf_request = SupervisorRequest.objects.get(agreement__learner__anonymous_user_id="yusuf")
    # A correctly signed token (old payload shape, naming Amina) pointing at Yusuf's request: it was
    # never issued, so its hash matches nothing stored and it opens nothing.
    crafted = signing.dumps({"r": yusuf_request.pk, "a": "amina", "n": "x"}, salt=f"{PURPOSE}:{usage}",
                            compress=True)
    assert decide(workbench, usage, crafted).status in (400, 410)
    assert SupervisorRequest.objects.get(pk=yusuf_request.pk).status == "pending"


def test_token_of_one_block_is_refused_by_another(workbench, usage):
    token = ask(workbench, usage)
    other = workbench.load(OLX.format(weight="0"))
    assert decide(workbench, other, token).status == 400
    assert SupervisorRequest.objects.get().status == "pending"


def test_expired_link_is_refused(workbench, usage):
    token = ask(workbench, usage)
    later = timezone.now() + timedelta(days=15)
    with mock.patch("django.utils.timezone.now", return_value=later), \
            mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        shown = decide(workbench, usage, token)
    assert shown.status == 410 and "expired" in shown.body.decode()
    assert SupervisorRequest.objects.get().status == "pending"
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert workbench.call(usage, "get_state").json["status"] == "expired"


def test_expired_request_is_refused_even_with_a_fresh_signature(workbench, usage):
    token = ask(workbench, usage)
    SupervisorRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert decide(workbench, usage, token).status == 410
    result = workbench.call(usage, "resend", {})  # the learner can send a new link
    assert result.status == 200 and result.json["status"] == "pending"
    assert decide(workbench, usage, token_from(last_mail())).status == 200


def test_request_row_holds_only_a_hash_of_the_token(workbench, usage):
    token = ask(workbench, usage)
    row = SupervisorRequest.objects.get()
    assert token not in json.dumps(list(SupervisorRequest.objects.values()), default=str)
    assert len(row.token_hash) == 64


@pytest.mark.parametrize("field,value", [
    ("name", "Moussa\r\nBcc: victim@example.org"),
    ("organisation", "NGO\nX-Injected: 1"),
    ("email", "m@ngo.example.org\r\nBcc: victim@example.org"),
    ("email", "m@ngo.example.org, other@example.org"),
])
def test_header_injection_is_refused(workbench, usage, field, value):
    result = workbench.call(usage, "request_approval", {**SUPERVISOR, field: value})
    assert result.status == 400
    assert django_mail.outbox == [] and not SupervisorRequest.objects.exists()


def test_learner_name_with_line_breaks_cannot_break_the_subject(workbench, usage):
    from blended_xblocks.platform.models import Learner
    workbench.call(usage, "get_state")
    Learner.objects.filter(anonymous_user_id="amina").update(full_name="Amina\r\nBcc: victim@example.org")
    with mock.patch("blended_xblocks.demo.services.full_name", return_value="Amina\r\nBcc: victim@example.org"):
        ask(workbench, usage)
    assert "\n" not in last_mail().subject and "\r" not in last_mail().subject
    assert last_mail().to == ["m.traore@ngo.example.org"] and not last_mail().bcc


MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def test_markup_in_every_text_field_is_escaped_everywhere(workbench, usage):
    token = ask(workbench, usage, name="Moussa " + MARKUP, organisation="NGO " + MARKUP, message="Hi " + MARKUP)
    message = last_mail()
    for html in (message.alternatives[0][0], page(workbench, usage, token).body.decode()):
        assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    decide(workbench, usage, token, decision="decline", signer="Boss " + MARKUP, reason="No " + MARKUP)
    for student in ("amina", "instructor"):
        rendered = workbench.render(usage, student=student)
        assert "<script>alert" not in rendered and "<img src=x" not in rendered
    state = workbench.call(usage, "get_state").json
    assert state["decision"]["reason"] == "No " + MARKUP  # JSON carries text; the JS sets textContent


def test_agreement_html_is_reduced_to_safe_formatting(workbench):
    usage = workbench.load('<blended_supervisor_agreement><agreement><p onclick="x()">I agree</p>'
                           '<script>alert(1)</script><a href="javascript:x()">here</a></agreement>'
                           '</blended_supervisor_agreement>')
    html = page(workbench, usage, ask(workbench, usage)).body.decode()
    assert "<p>I agree</p>" in html and "onclick" not in html and "javascript:" not in html
    assert "alert(1)" not in html


@pytest.mark.parametrize("handler", ["list_agreements", "record_decision"])
def test_learners_cannot_call_staff_handlers(workbench, usage, handler):
    ask(workbench, usage, student="yusuf")
    body = {} if handler == "list_agreements" else {"user_id": "yusuf", "status": "approved", "note": "me"}
    result = workbench.call(usage, handler, body, student="amina")
    assert result.status == 403 and result.error_code == "staff_only"
    assert SupervisorAgreement.objects.get().status == "pending"


def test_learners_cannot_resend_for_someone_else_or_export(workbench, usage):
    ask(workbench, usage, student="yusuf")
    assert workbench.call(usage, "resend", {"user_id": "yusuf"}, student="amina").error_code == "staff_only"
    assert workbench.call(usage, "export_agreements", method="GET", student="amina").status == 403
    assert len(django_mail.outbox) == 1


@pytest.mark.parametrize("body,code", [
    (b"{nope", "invalid_json"),
    (b"[1, 2]", "invalid_json"),
    (json.dumps({**SUPERVISOR, "admin": True}).encode(), "unknown_field"),
    (json.dumps({**SUPERVISOR, "name": 42}).encode(), "invalid_field"),
    (json.dumps({**SUPERVISOR, "name": "x" * 500}).encode(), "too_long"),
    (json.dumps({**SUPERVISOR, "email": "not-an-address"}).encode(), "invalid_email"),
    (json.dumps({**SUPERVISOR, "email": ["m.traore@ngo.example.org"]}).encode(), "invalid_field"),  # a wrong type
    (json.dumps({**SUPERVISOR, "email": 42}).encode(), "invalid_field"),
    (json.dumps({k: v for k, v in SUPERVISOR.items() if k != "organisation"}).encode(), "required"),
    (b"\xff\xfe", "invalid_json"),
])
def test_malformed_requests_are_refused_without_change(workbench, usage, body, code):
    result = workbench.call(usage, "request_approval", body=body)
    assert result.status == 400 and result.error_code == code
    assert not SupervisorRequest.objects.exists() and django_mail.outbox == []


def test_anonymous_users_cannot_request(workbench, usage):
    result = workbench.call(usage, "request_approval", SUPERVISOR, student="none")
    assert result.status == 403 and result.error_code == "sign_in_required"


def test_resend_is_rate_limited(workbench, usage):
    ask(workbench, usage)
    assert workbench.call(usage, "resend", {}).status == 200
    assert workbench.call(usage, "resend", {}).status == 200
    limited = workbench.call(usage, "resend", {})
    assert limited.status == 429 and limited.error_code == "rate_limited"
    assert len(django_mail.outbox) == 3
    assert workbench.call(usage, "request_approval", SUPERVISOR).error_code == "rate_limited"
    state = workbench.call(usage, "get_state").json
    assert state["mails_left_today"] == 0


def test_mail_failure_records_nothing(workbench, usage):
    with mock.patch("blended_xblocks.platform.adapter.EmailMultiAlternatives.send", side_effect=OSError("smtp down")):
        result = workbench.call(usage, "request_approval", SUPERVISOR)
    assert result.status == 503 and result.error_code == "mail_failed"
    assert not SupervisorRequest.objects.exists()


def test_supervisor_page_refuses_other_methods(workbench, usage):
    token = ask(workbench, usage)
    assert workbench.call(usage, "supervisor_review", method="PUT", query=f"token={token}",
                          student="none").status == 405


def test_supervisor_form_with_broken_encoding_or_fields_changes_nothing(workbench, usage):
    token = ask(workbench, usage)
    broken = workbench.call(usage, "supervisor_review", student="none", body=b"token=%FF%FE&decision=approve",
                            content_type="application/x-www-form-urlencoded")
    assert broken.status == 400
    odd = decide(workbench, usage, token, decision="maybe")
    assert odd.status == 400 and "Choose whether you approve or decline." in odd.body.decode()
    huge = decide(workbench, usage, token, signer="M" * 121)
    assert huge.status == 400
    assert SupervisorRequest.objects.get().status == "pending"


@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded; charset=x-unheard-of",  # Django ignores a charset it does not know
    "application/x-www-form-urlencoded; charset=latin-1",       # Django 5 raises BadRequest, Django 4.2 reads it
    'multipart/form-data; boundary=b; charset="koi8-r"',
])
def test_a_decision_form_in_another_charset_is_refused_as_documented(workbench, usage, content_type):
    """The LMS hands the page Django's request: a form declared in any charset but UTF-8 gets the
    "link not valid" page, as the supervisor agreement's page documents, and decides nothing."""
    from urllib.parse import urlencode

    token = ask(workbench, usage)
    fields = {"token": token, "decision": "approve", "signer_name": "Moussa Traoré", "reason": ""}
    if content_type.startswith("multipart"):
        body = b"".join(b'--b\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (k.encode(), v.encode())
                        for k, v in fields.items()) + b"--b--\r\n"
    else:
        body = urlencode(fields).encode()
    result = workbench.call_django(usage, "supervisor_review", body, content_type, student="none")
    assert result.status == 400 and b"This link is not valid" in result.body
    assert SupervisorRequest.objects.get().status == "pending"
    utf8 = workbench.call_django(usage, "supervisor_review", urlencode(fields).encode(),
                                 "application/x-www-form-urlencoded; charset=UTF-8", student="none")
    assert utf8.status == 200 and SupervisorRequest.objects.get().status == "approved"


def test_django_limits_on_the_decision_form_give_the_documented_page(workbench, usage):
    token = ask(workbench, usage)
    many = f"token={token}&decision=approve&signer_name=M&" + "&".join(f"x{i}=1" for i in range(2000))
    for body in (many.encode(), f"token={token}&reason=".encode() + b"x" * 3_000_000):
        result = workbench.call_django(usage, "supervisor_review", body, "application/x-www-form-urlencoded",
                                       student="none")
        assert result.status == 400 and b"This link is not valid" in result.body
        assert result.headers["Content-Type"].startswith("text/html")
    assert SupervisorRequest.objects.get().status == "pending"
