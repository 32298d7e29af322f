"""The JSON convention every handler shares: schema checks and error bodies (handlers.py)."""
import pytest

from blended_xblocks.core.errors import BadRequest
from blended_xblocks.core.schema import Bool, Choice, Email, Int, ListOf, Obj, Str, validate

SCHEMA = {
    "name": Str(max_length=10),
    "count": Int(minimum=1, maximum=5, default=1),
    "flag": Bool(required=False),
    "kind": Choice(["a", "b"], required=False),
    "email": Email(required=False),
    "records": ListOf(Obj({"user_id": Str(max_length=64)}), max_items=2, required=False),
}


def code_of(data):
    with pytest.raises(BadRequest) as error:
        validate(SCHEMA, data)
    return error.value.code


def test_valid_body_is_cleaned_and_defaults_filled():
    assert validate(SCHEMA, {"name": "  Amina "}) == {
        "name": "Amina", "count": 1, "flag": None, "kind": None, "email": None, "records": None}


@pytest.mark.parametrize("data, code", [
    ([], "invalid_json"),
    ({}, "required"),
    ({"name": "x", "surprise": 1}, "unknown_field"),
    ({"name": 5}, "invalid_field"),
    ({"name": "x" * 11}, "too_long"),
    ({"name": "x\x00"}, "invalid_field"),
    ({"name": "x", "count": "2"}, "invalid_field"),
    ({"name": "x", "count": True}, "invalid_field"),
    ({"name": "x", "count": 6}, "out_of_range"),
    ({"name": "x", "flag": "yes"}, "invalid_field"),
    ({"name": "x", "kind": "c"}, "invalid_choice"),
    ({"name": "x", "email": "a@b"}, "invalid_email"),
    ({"name": "x", "email": "a@b.org\r\nBcc: x@y.org"}, "invalid_email"),
    ({"name": "x", "records": [{"user_id": "a"}] * 3}, "too_many"),
    ({"name": "x", "records": [{"user": "a"}]}, "unknown_field"),
])
def test_bad_input_is_refused_with_a_code(data, code):
    assert code_of(data) == code


def test_error_names_the_nested_field():
    with pytest.raises(BadRequest) as error:
        validate(SCHEMA, {"name": "x", "records": [{"user_id": 3}]})
    assert error.value.params["field"] == "records[0].user_id"


def test_lone_surrogates_are_refused_not_stored():
    with pytest.raises(BadRequest) as error:
        validate({"name": Str()}, {"name": "abc\ud800"})
    assert error.value.code == "invalid_field"


def test_integers_are_bounded_even_without_a_maximum():
    assert validate({"n": Int(minimum=1)}, {"n": 2**53 - 1}) == {"n": 2**53 - 1}
    with pytest.raises(BadRequest) as error:
        validate({"n": Int(minimum=1)}, {"n": 2**63})
    assert error.value.code == "out_of_range"


# Whole requests through a real handler -------------------------------------------------------
OLX = '<blended_experience_sharing display_name="ES"/>'


def test_deeply_nested_json_is_a_400(workbench):
    usage = workbench.load(OLX)
    result = workbench.call(usage, "create_post", body=b"[" * 100_000 + b"]" * 100_000)
    assert (result.status, result.error_code) == (400, "invalid_json")


def test_oversized_json_is_refused_before_parsing(workbench):
    usage = workbench.load(OLX)
    result = workbench.call(usage, "create_post", body=b'{"title": "' + b"x" * 1_100_000 + b'"}')
    assert (result.status, result.error_code) == (400, "too_large")


def test_surrogates_in_a_real_request_are_a_400_and_store_nothing(workbench):
    from blended_xblocks.experience_sharing.models import SharedPost

    usage = workbench.load(OLX)
    result = workbench.call(usage, "create_post", body=b'{"title": "abc\\ud800", "body": "x"}')
    assert (result.status, result.error_code) == (400, "invalid_field")
    assert not SharedPost.objects.exists()


def test_a_broken_multipart_upload_is_a_400(workbench):
    usage = workbench.load('<blended_webinar display_name="W" start="2030-05-16T11:00" timezone="Asia/Amman"/>')
    result = workbench.call(usage, "import_attendance", body=b"garbage", student="instructor",
                            content_type="multipart/form-data")
    assert (result.status, result.error_code) == (400, "invalid_form")
