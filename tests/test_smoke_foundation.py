"""Smoke test of the foundation (replaced by each block's own tests)."""


def test_handler_rejects_bad_json(workbench):
    usage = workbench.load('<blended_webinar display_name="W"/>')
    result = workbench.call(usage, "get_state", body=b"{nope")
    assert result.status == 400 and result.error_code == "invalid_json"


def test_arabic_render_is_rtl(workbench):
    usage = workbench.load('<blended_webinar display_name="W"/>')
    assert 'dir="rtl"' in workbench.render(usage, language="ar")
