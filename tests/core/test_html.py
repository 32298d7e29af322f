"""core.html: the one sanitiser every block's author HTML goes through, and OLX HTML children."""
import pytest
from lxml import etree

from blended_xblocks.core.html import AGREEMENT, DESCRIPTION, PROMPT, read_olx_html, sanitise, write_olx_html

POLICIES = {"description": DESCRIPTION, "prompt": PROMPT, "agreement": AGREEMENT}
SCRIPTS = [
    "<p>Hi<script>alert('x')</script></p>",
    "<SCRIPT>alert('x')</SCRIPT><p>Hi</p>",
    "<p>Hi</p><svg><script>alert('x')</script></svg>",
    "<p>Hi</p><iframe src=\"javascript:alert('x')\"></iframe><template><script>alert('x')</script></template>",
    "<p>Hi</p><style>body{background:url(\"javascript:alert('x')\")}</style>",
    "<p>Hi</p><!-- <script>alert('x')</script> -->",
]


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES)
@pytest.mark.parametrize("source", SCRIPTS)
def test_a_script_never_survives_and_the_text_around_it_does(policy, source):
    cleaned = sanitise(source, policy)
    assert "<script" not in cleaned.lower() and "alert('x')" not in cleaned
    assert "<iframe" not in cleaned and "<style" not in cleaned
    assert "Hi" in cleaned


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES)
def test_a_broken_tag_that_hides_a_script_is_shown_as_inert_text(policy):
    cleaned = sanitise("<p>Hi<scr<script>ipt>alert('x')</script></p>", policy)
    assert "<script" not in cleaned.lower() and "<scr" not in cleaned.lower() and cleaned.startswith("<p>Hi")


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES)
def test_attributes_never_survive(policy):
    cleaned = sanitise('<p onclick="steal()" style="position:fixed">Read <b onmouseover="steal()">this</b></p>'
                       '<img src=x onerror="steal()">', policy)
    assert cleaned == "<p>Read <b>this</b></p>"


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES)
@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                  "java&#x09;script:alert(1)", "data:text/html,<script>alert(1)</script>",
                                  "vbscript:msgbox(1)", "//evil.example/x", "/relative", "https:no-host"])
def test_a_link_that_is_not_http_is_dropped_and_its_text_kept(policy, href):
    cleaned = sanitise(f'<p><a href="{href}">Open the form</a></p>', policy)
    assert "href" not in cleaned and "script" not in cleaned.lower() and "Open the form" in cleaned


def test_each_use_keeps_the_links_and_tags_its_documented_policy_names():
    source = ('<p><a href="https://iom.int/x?a=1&amp;b=2">IOM</a> <a href="mailto:hub@iom.int">write</a></p>'
              '<blockquote>Quote</blockquote><code>x = 1</code><h2>Big</h2>')
    assert sanitise(source, DESCRIPTION) == (
        '<p><a href="https://iom.int/x?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">IOM</a> <a>write</a></p>'
        'Quotex = 1Big')
    assert sanitise(source, PROMPT) == (
        '<p><a href="https://iom.int/x?a=1&amp;b=2" rel="noopener noreferrer">IOM</a> '
        '<a href="mailto:hub@iom.int" rel="noopener noreferrer">write</a></p>'
        '<blockquote>Quote</blockquote><code>x = 1</code>Big')
    assert sanitise(source, AGREEMENT) == "<p>IOM write</p><blockquote>Quote</blockquote>x = 1Big"


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES)
def test_text_stays_text(policy):
    assert sanitise("Tom & Jerry &lt;b&gt;not bold&lt;/b&gt; 3 < 4", policy) == (
        "Tom &amp; Jerry &lt;b&gt;not bold&lt;/b&gt; 3 &lt; 4")
    assert sanitise("", policy) == "" and sanitise(None, policy) == "" and sanitise("  ", policy) == ""
    assert sanitise("<p>A\x00B\x0bC</p>", policy) == "<p>ABC</p>"  # characters no page can hold


def test_olx_html_round_trips_and_escaped_text_stays_text():
    node = etree.fromstring("<prompt>Intro &lt;b&gt; <!-- note -->kept<p>Plan &amp; <b>act</b></p><br/>tail</prompt>")
    stored = read_olx_html(node)
    assert stored == "Intro &lt;b&gt; kept<p>Plan &amp; <b>act</b></p><br>tail"
    parent = etree.Element("blended_group_assignment")
    write_olx_html(parent, "prompt", stored)
    exported = etree.tostring(parent, encoding="unicode")
    assert read_olx_html(etree.fromstring(exported).find("prompt")) == stored


def test_html_that_is_not_xml_is_still_exported_as_elements():
    parent = etree.Element("blended_webinar")
    write_olx_html(parent, "description", "<p>One<br>two<p>three")
    assert etree.tostring(parent, encoding="unicode") == (
        "<blended_webinar><description><p>One<br/>two</p><p>three</p></description></blended_webinar>")


BLOCKS = {
    "webinar": '<blended_webinar display_name="W" start="2030-05-16T11:00" timezone="Asia/Amman">'
               '<description>{html}</description></blended_webinar>',
    "group_assignment": '<blended_group_assignment display_name="G" mode="individual"><prompt>{html}</prompt>'
                        '<rubric><criterion name="a" label="A"><level points="1" label="Done"/></criterion></rubric>'
                        '</blended_group_assignment>',
    "experience_sharing": '<blended_experience_sharing display_name="E"><prompt>{html}</prompt>'
                          '</blended_experience_sharing>',
    "supervisor_agreement": '<blended_supervisor_agreement display_name="S"><agreement>{html}</agreement>'
                            '</blended_supervisor_agreement>',
    "application": '<blended_application display_name="A" timezone="UTC"><description>{html}</description>'
                   '</blended_application>',
}
HOSTILE = ('<p>Visible text<script>alert("one-way")</script>'
           '<a href="javascript:alert(&quot;one-way-link&quot;)">a link</a></p>')


@pytest.mark.parametrize("olx", BLOCKS.values(), ids=BLOCKS)
def test_no_block_shows_an_authors_script_or_javascript_link(workbench, olx):
    usage = workbench.load(olx.format(html=HOSTILE))
    for student, view in (("amina", "student_view"), ("instructor", "student_view"), ("instructor", "author_view")):
        html = workbench.render(usage, student, view=view)
        assert 'alert("one-way")' not in html and "one-way-link" not in html
    assert "Visible text" in workbench.render(usage, "instructor", view="author_view")
