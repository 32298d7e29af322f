"""Who may be named as a supervisor (supervisor_agreement/addresses.py), called directly."""
import pytest

from blended_xblocks.core.errors import BadRequest
from blended_xblocks.supervisor_agreement.addresses import (
    check_supervisor_email,
    domain_of,
    email_flags,
    parse_domains,
)


def refusal(address, learner="amina@ngo.example.org", allowlists=()):
    with pytest.raises(BadRequest) as error:
        check_supervisor_email(address, learner, allowlists)
    return error.value


def test_a_learner_cannot_name_themselves_whatever_the_case_or_spaces():
    error = refusal(" Amina@NGO.example.org ")
    assert (error.code, error.message) == ("own_email", "Enter your supervisor's e-mail address, not your own.")


def test_without_allowlists_any_other_address_is_accepted():
    check_supervisor_email("m.traore@ngo.example.org", "amina@ngo.example.org")
    check_supervisor_email("someone@gmail.com", "")


def test_an_allowlist_accepts_its_domains_and_their_subdomains_only():
    allowed = (parse_domains("iom.int"),)
    check_supervisor_email("boss@iom.int", "amina@ngo.example.org", allowed)
    check_supervisor_email("boss@rabat.iom.int", "amina@ngo.example.org", allowed)
    error = refusal("boss@notiom.int", allowlists=allowed)
    assert error.code == "email_domain_not_allowed" and error.params == {"domains": "iom.int"}


def test_an_author_can_narrow_the_operators_list_but_never_widen_it():
    operator, author = parse_domains("iom.int, ngo.example.org"), parse_domains("ngo.example.org other.org")
    check_supervisor_email("boss@ngo.example.org", "amina@gmail.com", (operator, author))
    assert refusal("boss@iom.int", learner="", allowlists=(operator, author)).params == {
        "domains": "ngo.example.org, other.org"}
    assert refusal("boss@other.org", learner="", allowlists=(operator, author)).params == {
        "domains": "iom.int, ngo.example.org"}


def test_domains_are_read_as_people_write_them():
    assert parse_domains(" @IOM.int; *.ngo.example.org,iom.int  sahel.org. ") == (
        "iom.int", "ngo.example.org", "sahel.org")
    assert parse_domains(["@iom.int", "", "IOM.INT"]) == ("iom.int",)
    assert parse_domains(None) == () and parse_domains("") == ()
    assert domain_of("Boss@Rabat.IOM.int.") == "rabat.iom.int" and domain_of("") == ""


@pytest.mark.parametrize("supervisor, learner, flags", [
    ("m.traore@ngo.example.org", "amina@ngo.example.org", ["same_domain"]),
    ("boss@gmail.com", "amina@ngo.example.org", ["free_mail"]),
    ("boss@gmail.com", "amina@gmail.com", ["same_domain", "free_mail"]),
    ("boss@iom.int", "amina@ngo.example.org", []),
    ("", "amina@ngo.example.org", []),
])
def test_instructors_are_told_which_supervisors_to_check(supervisor, learner, flags):
    assert email_flags(supervisor, learner) == flags
