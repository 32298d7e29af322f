"""core.text: one line for mail headers and subjects, one rule for links anyone may follow."""
import pytest

from blended_xblocks.core.text import is_mail_address, safe_url, single_line


@pytest.mark.parametrize("url", ["https://meet.example.org/kmh-3", "http://example.org", "HTTPS://Example.org/a?b=1#c",
                                 "https://[2001:db8::1]:8443/x"])
def test_an_http_link_with_a_host_is_kept(url):
    assert safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT://example.org/%0Aalert(1)", "data:text/html,x",
                                 "ftp://example.org", "//example.org", "/path", "https://", "https:///path",
                                 'https://example.org/"onmouseover="x', "https://exa mple.org", "https://example.org/\n",
                                 "https://[::1", "https://" + "a" * 3000 + ".org", "", None])
def test_any_other_link_is_refused(url):
    assert safe_url(url) is None


def test_a_name_in_a_mail_is_one_line():
    assert single_line("Amina\r\nBcc: victim@example.org") == "Amina Bcc: victim@example.org"
    assert single_line("A\u2028B\tC  D", 5) == "A B C"
    assert single_line(None) == ""


def test_mail_addresses():
    assert is_mail_address("m.traore@ngo.example.org")
    assert not is_mail_address("") and not is_mail_address(None) and not is_mail_address("a b@example.org")
    assert not is_mail_address("a@b@example.org")
