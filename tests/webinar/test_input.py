"""Malformed input never gives a 500 and never changes anything; learners get 403 on staff handlers."""
import pytest

from blended_xblocks.webinar.models import WebinarRegistration, WebinarSession
from tests.harness import webinar

LEARNER_HANDLERS = ["get_state", "register", "cancel", "check_in"]
STAFF_HANDLERS = ["roster", "set_attendance", "checkin_code"]
BAD_BODIES = [b"{nope", b"[]", b'"text"', b"\xff\xfe", b'{"unknown_field": 1}', b"null", b"12"]
BAD_FIELDS = {
    "register": [{"language": 5}, {"language": "x" * 5000}, {"language": ["en"]}, {"language": "en\x00"}],
    "check_in": [{}, {"code": 123}, {"code": "A" * 10000}, {"code": None}, {"code": True}, {"code": ["A"]}],
    "roster": [{"page": 0}, {"page": "1"}, {"page_size": 1000}, {"status": "everyone"}, {"page": True}],
    "set_attendance": [{}, {"records": "amina"}, {"records": [{"user_id": "amina"}]},
                       {"records": [{"user_id": "amina", "attendance": "here"}]},
                       {"records": [{"user_id": "amina", "attendance": "present", "extra": 1}]},
                       {"records": [{"user_id": "a" * 500, "attendance": "present"}]},
                       {"records": [{"user_id": "amina", "attendance": "present"}] * 1001}],
    "checkin_code": [{"regenerate": "yes"}],
}


def snapshot():
    return (list(WebinarRegistration.objects.order_by("id").values()),
            list(WebinarSession.objects.order_by("id").values("checkin_code", "capacity", "title")))


@pytest.fixture
def usage(workbench):
    usage = workbench.load(webinar(capacity="2", languages="en ar", checkin="true"))
    workbench.call(usage, "register", {"language": "en"}, student="amina")
    return usage


@pytest.mark.parametrize("handler", LEARNER_HANDLERS + STAFF_HANDLERS + ["studio_submit"])
@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_bodies_are_400(workbench, usage, handler, body):
    before = snapshot()
    result = workbench.call(usage, handler, body=body, student="instructor")
    assert result.status == 400, result.body
    assert result.error_code in ("invalid_json", "unknown_field", "invalid_field")
    assert snapshot() == before


@pytest.mark.parametrize("handler,data", [(h, d) for h, cases in BAD_FIELDS.items() for d in cases])
def test_bad_fields_are_400(workbench, usage, handler, data):
    before = snapshot()
    result = workbench.call(usage, handler, data, student="instructor")
    assert result.status == 400 and "message" in result.json["error"], result.body
    assert snapshot() == before


@pytest.mark.parametrize("handler", STAFF_HANDLERS + ["export_roster", "import_attendance", "studio_submit"])
def test_learners_get_403_on_staff_handlers(workbench, usage, handler):
    before = snapshot()
    method = "GET" if handler == "export_roster" else "POST"
    result = workbench.call(usage, handler, {} if method == "POST" else None, method=method, student="amina")
    assert result.status == 403 and result.error_code == "staff_only"
    assert snapshot() == before


@pytest.mark.parametrize("handler", LEARNER_HANDLERS + STAFF_HANDLERS)
def test_get_is_refused_on_post_handlers(workbench, usage, handler):
    assert workbench.call(usage, handler, method="GET", student="instructor").status == 405


def test_cancel_twice_is_409_and_check_in_without_session_is_409(workbench, usage):
    assert workbench.call(usage, "cancel", {}, student="amina").status == 200
    second = workbench.call(usage, "cancel", {}, student="amina")
    assert second.status == 409 and second.error_code == "not_registered"
    assert workbench.call(usage, "check_in", {"code": "ABC"}, student="yusuf").error_code == "not_registered"


def test_no_checkin_configured_is_409(workbench):
    usage = workbench.load(webinar())
    workbench.call(usage, "register", {})
    assert workbench.call(usage, "check_in", {"code": "ABC"}).error_code == "checkin_disabled"


def test_wrong_codes_are_limited(workbench):
    from datetime import timedelta
    usage = workbench.load(webinar(minutes=30, checkin="true"))
    workbench.call(usage, "register", {})
    session = WebinarSession.objects.get(usage_key=usage)
    WebinarSession.objects.filter(pk=session.pk).update(start=session.start - timedelta(minutes=31),
                                                        end=session.end - timedelta(minutes=31))
    workbench.call(usage, "checkin_code", {}, student="instructor")
    codes = [workbench.call(usage, "check_in", {"code": f"BAD{n}"}).error_code for n in range(11)]
    assert codes[:10] == ["invalid_code"] * 10 and codes[10] == "too_many_attempts"


def test_non_ascii_code_is_just_a_wrong_code(workbench):
    from datetime import timedelta
    usage = workbench.load(webinar(minutes=30, checkin="true"))
    workbench.call(usage, "register", {})
    session = WebinarSession.objects.get(usage_key=usage)
    WebinarSession.objects.filter(pk=session.pk).update(start=session.start - timedelta(minutes=31),
                                                        end=session.end - timedelta(minutes=31))
    workbench.call(usage, "checkin_code", {}, student="instructor")
    assert workbench.call(usage, "check_in", {"code": "ÉÇ٣٤"}).error_code == "invalid_code"


def test_unsafe_links_from_an_imported_course_are_never_shown(workbench):
    usage = workbench.load(webinar(minutes=5, join_url="javascript:alert(1)"))
    assert workbench.call(usage, "register", {}).json["join_url"] is None
    finished = workbench.load(webinar(minutes=-300, recording_url="javascript:alert(1)"))
    assert workbench.call(finished, "get_state", {}).json["recording_url"] is None


def test_no_registration_without_a_date(workbench):
    usage = workbench.load('<blended_webinar display_name="To be scheduled"/>')
    result = workbench.call(usage, "register", {})
    assert result.status == 409 and result.error_code == "not_scheduled"
    assert "not set yet" in workbench.render(usage)


def _random_value(rng, depth=0):
    kinds = ["int", "float", "str", "bool", "none", "list", "dict", "huge"] if depth < 2 else ["int", "str", "none"]
    kind = rng.choice(kinds)
    return {"int": lambda: rng.randint(-10**12, 10**12), "float": lambda: rng.random() * 1e9,
            "str": lambda: "".join(rng.choice("aé٣\x00<>\"' {}") for _ in range(rng.randint(0, 30))),
            "bool": lambda: rng.random() < .5, "none": lambda: None, "huge": lambda: "x" * 100_000,
            "list": lambda: [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))],
            "dict": lambda: {rng.choice(["code", "user_id", "page", "x"]): _random_value(rng, depth + 1)}}[kind]()


@pytest.mark.parametrize("handler", LEARNER_HANDLERS + STAFF_HANDLERS + ["studio_submit"])
def test_random_bodies_never_500_and_refusals_change_nothing(workbench, usage, handler):
    import json
    import random
    rng = random.Random(handler)
    keys = {"register": ["language"], "check_in": ["code"], "roster": ["page", "page_size", "status"],
            "set_attendance": ["records"], "checkin_code": ["regenerate"], "studio_submit": ["display_name", "start"]}
    for _ in range(60):
        body = {key: _random_value(rng) for key in keys.get(handler, []) if rng.random() < .8}
        before = snapshot()
        result = workbench.call(usage, handler, body=json.dumps(body).encode(), student="instructor")
        assert result.status < 500, (body, result.body)
        if result.status >= 400:
            assert snapshot() == before, body


@pytest.mark.parametrize("body,content_type", [
    (b"garbage", "multipart/form-data; boundary=xyz"),
    (b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nnot a file\r\n--xyz--\r\n",
     "multipart/form-data; boundary=xyz"),
    (b"username,attendance\namina,present\n", "text/csv"),
    (b'{"file": "x"}', "application/json"),
])
def test_import_attendance_refuses_malformed_uploads(workbench, usage, body, content_type):
    before = snapshot()
    result = workbench.call(usage, "import_attendance", body=body, content_type=content_type, student="instructor")
    assert result.status == 400, result.body
    assert snapshot() == before
