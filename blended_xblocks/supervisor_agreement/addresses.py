"""Who may be named as a supervisor: rules on the address the learner types.

The supervisor's approval is worth something only if it comes from someone else: a learner's own
address is refused, and operators or authors may restrict supervisors to their organisations'
domains. Some addresses are allowed but worth a second look by instructors (same domain as the
learner's own address, or a free-mail provider anyone can open an account with): those are
flagged in the staff list and CSV, never refused.
"""
import re

from blended_xblocks.core.errors import N_, BadRequest

# Common free-mail providers: an approval from such an address cannot be tied to an employer.
FREE_MAIL_DOMAINS = frozenset("""
gmail.com googlemail.com yahoo.com yahoo.fr yahoo.co.uk ymail.com hotmail.com hotmail.fr hotmail.co.uk
outlook.com outlook.fr live.com live.fr msn.com icloud.com me.com mac.com aol.com gmx.com gmx.de gmx.net
gmx.fr web.de mail.com mail.ru yandex.com yandex.ru proton.me protonmail.com tutanota.com zoho.com
laposte.net orange.fr free.fr sfr.fr wanadoo.fr qq.com 163.com 126.com
""".split())
FLAG_SAME_DOMAIN = "same_domain"
FLAG_FREE_MAIL = "free_mail"
_SEPARATORS = re.compile(r"[\s,;]+")


def domain_of(address: str) -> str:
    return (address or "").rpartition("@")[2].strip().lower().rstrip(".")


def parse_domains(value) -> tuple:
    """Domains from a setting or field: a list, or a string separated by spaces, commas or semicolons.

    A leading "@" or "*." is tolerated, since that is how people often write domains.
    """
    items = value if isinstance(value, (list, tuple, set, frozenset)) else _SEPARATORS.split(str(value or ""))
    domains = []
    for item in items:
        domain = str(item).strip().lower().lstrip("@").removeprefix("*.").rstrip(".")
        if domain and domain not in domains:
            domains.append(domain)
    return tuple(domains)


def _matches(domain: str, allowed: tuple) -> bool:
    """`domain` is one of `allowed` or a subdomain of one (iom.int allows rabat.iom.int)."""
    return any(domain == entry or domain.endswith("." + entry) for entry in allowed)


def check_supervisor_email(address: str, learner_email: str, allowlists=()):
    """Refuse the learner's own address and, when allowlists are set, any domain outside each of them.

    Every non-empty allowlist must accept the domain, so an author can narrow what the operator
    allows but never widen it.
    """
    if learner_email and address.strip().lower() == learner_email.strip().lower():
        raise BadRequest("own_email", N_("Enter your supervisor's e-mail address, not your own."))
    domain = domain_of(address)
    for allowed in allowlists:
        if allowed and not _matches(domain, allowed):
            raise BadRequest("email_domain_not_allowed",
                             N_("Supervisors must have an address at one of these domains: {domains}."),
                             domains=", ".join(allowed))


def email_flags(supervisor_email: str, learner_email: str) -> list:
    """Why an instructor may want to check this supervisor (empty when nothing stands out)."""
    supervisor = domain_of(supervisor_email)
    if not supervisor:
        return []
    flags = []
    if supervisor == domain_of(learner_email):
        flags.append(FLAG_SAME_DOMAIN)
    if supervisor in FREE_MAIL_DOMAINS:
        flags.append(FLAG_FREE_MAIL)
    return flags
