"""Misuse of the agreement: approving oneself, mailing strangers, leaking notes and ids, junk bodies."""
import base64
import csv
import io
import json
import zlib

import pytest
from django.core import mail as django_mail

from blended_xblocks.supervisor_agreement.models import AgreementEvent, SupervisorRequest
from tests.harness import SUPERVISOR, ask, decide, last_mail
from tests.harness import SUPERVISOR_AGREEMENT as OLX

AUTHOR_ALLOWLIST = OLX.replace('weight="{weight}"', 'weight="0" supervisor_email_domains="ngo.example.org, iom.int"')


@pytest.fixture
def usage(workbench):
    return workbench.load(OLX.format(weight="1"))


@pytest.fixture
def operator(settings):
    """Set XBLOCK_SETTINGS['BlendedXBlocks'] keys for one test."""
    def configure(**values):
        bucket = dict(settings.XBLOCK_SETTINGS.get("BlendedXBlocks", {}), **values)
        settings.XBLOCK_SETTINGS = {**settings.XBLOCK_SETTINGS, "BlendedXBlocks": bucket}
    return configure


def request_with(workbench, usage, email, student="amina"):
    return workbench.call(usage, "request_approval", {**SUPERVISOR, "email": email}, student=student)


def staff_list(workbench, usage):
    return workbench.call(usage, "list_agreements", {}, student="instructor").json["agreements"]


def staff_csv(workbench, usage):
    body = workbench.call(usage, "export_agreements", method="GET", student="instructor").body.decode("utf-8")
    return {row["user_id"]: row for row in csv.DictReader(io.StringIO(body))}


# 1. Own address, allowlists, flags ------------------------------------------------------------------
@pytest.mark.parametrize("email", ["amina@learners.example.org", "AMINA@Learners.Example.ORG"])
def test_learner_cannot_name_themselves_as_supervisor(workbench, usage, email):
    result = request_with(workbench, usage, email)
    assert result.status == 400 and result.error_code == "own_email"
    assert not SupervisorRequest.objects.exists() and django_mail.outbox == []


@pytest.mark.parametrize("email", ["amina(x)@learners.example.org", "m@ngo.example.org)", "a@ngo..example.org",
                                   "a:b@ngo.example.org", "[a]@ngo.example.org", "a@ngo.example.org:25"])
def test_addresses_the_mail_server_would_rewrite_or_refuse_are_refused(workbench, usage, email):
    """A comment is stripped when sending: `amina(x)@…` would mail the learner herself."""
    result = request_with(workbench, usage, email)
    assert result.status == 400 and result.error_code == "invalid_email"
    assert not SupervisorRequest.objects.exists() and django_mail.outbox == []


def test_operator_allowlist_refuses_other_domains_and_accepts_subdomains(workbench, usage, operator):
    operator(SUPERVISOR_EMAIL_DOMAINS=["iom.int"])
    refused = request_with(workbench, usage, "m.traore@ngo.example.org")
    assert refused.status == 400 and refused.error_code == "email_domain_not_allowed"
    assert "iom.int" in refused.json["error"]["message"]
    assert not SupervisorRequest.objects.exists() and django_mail.outbox == []
    assert request_with(workbench, usage, "k.mensah@rabat.iom.int").status == 200
    assert last_mail().to == ["k.mensah@rabat.iom.int"]


def test_operator_allowlist_as_a_comma_separated_string(workbench, usage, operator):
    operator(SUPERVISOR_EMAIL_DOMAINS="iom.int, @ngo.example.org")
    assert request_with(workbench, usage, "boss@gmail.com").error_code == "email_domain_not_allowed"
    assert request_with(workbench, usage, "m.traore@ngo.example.org").status == 200


def test_author_allowlist_narrows_but_cannot_widen_the_operators(workbench, operator):
    usage = workbench.load(AUTHOR_ALLOWLIST)
    assert request_with(workbench, usage, "boss@gmail.com").error_code == "email_domain_not_allowed"
    assert request_with(workbench, usage, "m.traore@ngo.example.org").status == 200
    operator(SUPERVISOR_EMAIL_DOMAINS=["iom.int"])
    refused = request_with(workbench, usage, "m.traore@ngo.example.org", student="yusuf")
    assert refused.error_code == "email_domain_not_allowed"  # the author's list allows it, the operator's not
    assert request_with(workbench, usage, "k.mensah@iom.int", student="yusuf").status == 200


def test_author_allowlist_is_a_studio_field(workbench):
    block = workbench.block(workbench.load(AUTHOR_ALLOWLIST))
    assert "supervisor_email_domains" in block.editable_fields
    assert block.email_allowlists() == ((), ("ngo.example.org", "iom.int"))


def test_staff_see_flags_for_same_domain_and_free_mail_supervisors(workbench, usage):
    request_with(workbench, usage, "head@learners.example.org", student="amina")
    request_with(workbench, usage, "boss@Gmail.com", student="yusuf")
    request_with(workbench, usage, "m.traore@ngo.example.org", student="fatou")
    flags = {row["user_id"]: row["supervisor_email_flags"] for row in staff_list(workbench, usage)}
    assert flags == {"amina": ["same_domain"], "yusuf": ["free_mail"], "fatou": []}
    rows = staff_csv(workbench, usage)
    assert rows["amina"]["supervisor_email_flags"] == "same_domain"
    assert rows["yusuf"]["supervisor_email_flags"] == "free_mail" and rows["fatou"]["supervisor_email_flags"] == ""
    learner = workbench.call(usage, "get_state", student="yusuf").json
    assert "supervisor_email_flags" not in json.dumps(learner)


# 2. Malformed supervisor page bodies ---------------------------------------------------------------
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          "application/x-www-form-urlencoded; charset=utf-16",
                                          "application/x-www-form-urlencoded; charset=no-such-charset"])
def test_malformed_form_body_shows_the_link_not_valid_page(workbench, usage, content_type):
    ask(workbench, usage)
    result = workbench.call(usage, "supervisor_review", student="none", body=b"garbage\xff\xfe",
                            content_type=content_type)
    assert 400 <= result.status < 500 and "not valid" in result.body.decode()
    assert SupervisorRequest.objects.get().status == "pending"


# 3. Staff notes stay internal ----------------------------------------------------------------------
def test_paper_decision_note_is_not_shown_to_the_learner_but_to_staff(workbench, usage):
    ask(workbench, usage)
    note = "Declined by phone; the director was unhappy with Amina's attendance"
    recorded = workbench.call(usage, "record_decision", {"user_id": "amina", "status": "declined", "note": note},
                              student="instructor")
    assert recorded.status == 200
    state = workbench.call(usage, "get_state").json
    assert state["status"] == "declined" and state["decision"]["reason"] == ""
    assert note not in json.dumps(state) and "unhappy" not in workbench.render(usage)
    assert [row["note"] for row in staff_list(workbench, usage) if row["user_id"] == "amina"] == [note]
    assert staff_csv(workbench, usage)["amina"]["note"] == note


def test_supervisor_decline_reason_still_reaches_the_learner(workbench, usage):
    decide(workbench, usage, ask(workbench, usage), decision="decline", reason="Field mission in June")
    assert workbench.call(usage, "get_state").json["decision"]["reason"] == "Field mission in June"


# 4. Mail limit across the course, footer ------------------------------------------------------------
def test_daily_mail_limit_counts_every_agreement_block_of_the_course(workbench, usage):
    other = workbench.load(OLX.format(weight="0"))
    ask(workbench, usage)
    assert workbench.call(usage, "resend", {}).status == 200
    assert workbench.call(other, "get_state").json["mails_left_today"] == 1
    assert request_with(workbench, other, "k.mensah@iom.int").status == 200
    limited = request_with(workbench, other, "h.yusuf@iom.int")
    assert limited.status == 429 and limited.error_code == "rate_limited"
    assert workbench.call(usage, "resend", {}).error_code == "rate_limited"
    assert len(django_mail.outbox) == 3
    assert workbench.call(usage, "get_state", student="yusuf").json["mails_left_today"] == 3  # per learner


def test_operator_sets_the_daily_mail_limit(workbench, usage, operator):
    operator(SUPERVISOR_MAILS_PER_DAY=1)
    ask(workbench, usage)
    assert workbench.call(usage, "resend", {}).error_code == "rate_limited"
    assert AgreementEvent.objects.filter(by_learner=True).count() == 1


def test_a_mistyped_mail_limit_falls_back_to_three(workbench, usage, operator):
    operator(SUPERVISOR_MAILS_PER_DAY="three")
    assert workbench.call(usage, "get_state").json["mails_left_today"] == 3


def test_every_mail_says_it_was_sent_on_the_learners_behalf(workbench, usage):
    ask(workbench, usage)
    message = last_mail()
    for part in (message.body, message.alternatives[0][0]):
        assert "sent on behalf of Amina Diallo through the training" in part
        assert "no reply is needed" in part


def test_mail_footer_is_in_the_learners_language(workbench, usage):
    workbench.call(usage, "request_approval", SUPERVISOR, language="fr")
    assert "envoyé au nom de Amina Diallo via la formation" in last_mail().body


# 5. The link carries nothing about the learner ------------------------------------------------------
def test_link_payload_does_not_carry_the_learners_id(workbench, usage):
    token = ask(workbench, usage)
    encoded = token.split(":")[0]
    compressed = encoded.startswith(".")
    raw = base64.urlsafe_b64decode(encoded.lstrip(".") + "=" * (-len(encoded.lstrip(".")) % 4))
    payload = json.loads(zlib.decompress(raw) if compressed else raw)
    assert set(payload) == {"r", "n"} and "amina" not in json.dumps(payload)
    assert decide(workbench, usage, token).status == 200  # and it still works


def decide_from(workbench, usage, token, **meta):
    from urllib.parse import urlencode

    body = urlencode({"token": token, "decision": "approve", "signer_name": "Moussa Traoré", "reason": ""}).encode()
    result = workbench.call_django(usage, "supervisor_review", body, "application/x-www-form-urlencoded",
                                   student="none", **meta)
    assert result.status == 200, result.body[:300]
    request = SupervisorRequest.objects.get()
    assert AgreementEvent.objects.get(actor="supervisor").ip == request.decision_ip
    return request.decision_ip


@pytest.mark.parametrize("proxies, meta, recorded", [
    # No proxy configured: the connection's address; whatever the client writes in X-Forwarded-For is ignored.
    (None, {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}, "198.51.100.7"),
    # One proxy (Tutor's Caddy): it appended the address it saw; the client's own entry on the left is ignored.
    (1, {"REMOTE_ADDR": "172.18.0.3", "HTTP_X_FORWARDED_FOR": "203.0.113.66, 198.51.100.7"}, "198.51.100.7"),
    # Two proxies (a load balancer, then Caddy): the load balancer's entry is the client.
    (2, {"REMOTE_ADDR": "172.18.0.3", "HTTP_X_FORWARDED_FOR": "203.0.113.66, 198.51.100.7, 10.0.0.2"}, "198.51.100.7"),
    # A chain shorter than the configured proxies (a request that bypassed one): nothing to vouch for.
    (2, {"REMOTE_ADDR": "172.18.0.3", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}, ""),
    # Garbage where the proxy's entry should be is not recorded.
    (1, {"REMOTE_ADDR": "172.18.0.3", "HTTP_X_FORWARDED_FOR": "203.0.113.66, <script>"}, ""),
    ("not a number", {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}, "198.51.100.7"),
])
def test_the_decision_ip_cannot_be_spoofed_through_x_forwarded_for(workbench, usage, operator, proxies, meta, recorded):
    if proxies is not None:
        operator(TRUSTED_PROXY_COUNT=proxies)
    token = ask(workbench, usage)
    assert decide_from(workbench, usage, token, **meta) == recorded
