"""From a page the server marked as a preview, the blocks' JavaScript adds `preview=1` to every
handler URL (calls, uploads, download links), so the server refuses writes (docs/api.md)."""
from blended_xblocks.core.resources import static_path

PAGE = """<div id="live"><p data-blended-status></p></div>
<div id="preview"><p data-blended-preview>Preview</p><p data-blended-status></p></div>"""
URLS = """() => {
  const runtime = {handlerUrl: (element, name) => '/handler/' + name};
  const B = window.BlendedXBlocks, live = document.getElementById('live'), preview = document.getElementById('preview');
  return [B.handlerUrl(runtime, live, 'register'), B.handlerUrl(runtime, live, 'download_file', 'file_id=3'),
          B.handlerUrl(runtime, preview, 'register'), B.handlerUrl(runtime, preview, 'download_file', 'file_id=3')];
}"""


def test_handler_urls_carry_preview_only_on_a_preview_page(new_page):
    page = new_page()
    page.route("http://blended.test/page", lambda route: route.fulfill(status=200, content_type="text/html", body=PAGE))
    page.goto("http://blended.test/page")  # a real origin: the script reads the CSRF cookie
    page.add_script_tag(path=str(static_path("common/blended.js")))
    assert page.evaluate(URLS) == ["/handler/register", "/handler/download_file?file_id=3",
                                   "/handler/register?preview=1", "/handler/download_file?file_id=3&preview=1"]
    requested = []
    page.route("**/handler/**", lambda route: (requested.append(route.request.url), route.fulfill(
        status=409, content_type="application/json", body='{"error": {"code": "preview_read_only", "message": "x"}}')))
    page.evaluate("""() => window.BlendedXBlocks.block({handlerUrl: (e, n) => '/handler/' + n},
                                                       document.getElementById('preview'), {}).call('register', {})""")
    assert requested and requested[0].endswith("/handler/register?preview=1")
