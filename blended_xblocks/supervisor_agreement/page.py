"""The supervisor's page: plain HTML, no JavaScript, no login; GET shows, POST decides.

It is rendered in the language the learner used when asking (stored on the request). Any link
that cannot be used (forged, tampered, expired, replaced, already used) gets a page that says so
with a 4xx status and changes nothing. The page is never cached, framed or indexed and sends no
referrer, so the token in its address does not leak.
"""
from django.utils import formats, translation
from webob import Response

from blended_xblocks.core.errors import N_, ApiError
from blended_xblocks.core.i18n import Translator, active_language
from blended_xblocks.core.rendering import render_in
from blended_xblocks.core.text import CONTROL, single_line
from blended_xblocks.supervisor_agreement import requests as flow
from blended_xblocks.supervisor_agreement.mail import DOMAIN, TEMPLATE_DIR
from blended_xblocks.supervisor_agreement.models import STATUS_APPROVED
from blended_xblocks.supervisor_agreement.tokens import LinkError
from blended_xblocks.xblock.handlers import client_address, read_request

LINK_ERRORS = {  # kind: (HTTP status, title msgid, explanation msgid)
    "invalid": (400, N_("This link is not valid"),
                N_("The address may be incomplete or altered. Open the link exactly as it appears in the e-mail.")),
    "expired": (410, N_("This link has expired"),
                N_("Ask the participant to send you a new request from the training.")),
    "superseded": (410, N_("This link has been replaced"),
                   N_("A newer e-mail was sent for this request, or the request was withdrawn. Use the most recent e-mail.")),
    "used": (409, N_("A decision has already been recorded"),
             N_("This request has already been answered. Nothing was changed.")),
}
MAX_NAME, MAX_REASON = 120, 2000
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
}


def _page(language, context, status=200):
    body = render_in(language, DOMAIN, TEMPLATE_DIR + "supervisor.html", context)
    response = Response(body, status=status, content_type="text/html", charset="utf-8")
    response.headers.update(HEADERS)
    return response


def _link_error(error: LinkError):
    request = error.request
    language = request.language if request is not None else active_language()
    status, title, text = LINK_ERRORS[error.kind]
    context = {"mode": "error", "error_kind": error.kind, "title": title, "explanation": text}
    return _page(language, context, status)


def _date(value, language):
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT") if value else ""


def _form_errors(form, language) -> dict:
    t = Translator(DOMAIN, language)
    errors = {}
    name = form.get("signer_name", "")
    reason = form.get("reason", "")
    if form.get("decision") not in ("approve", "decline"):
        errors["decision"] = t.gettext("Choose whether you approve or decline.")
    if not single_line(name, MAX_NAME + 1):
        errors["signer_name"] = t.gettext("Type your full name to sign.")
    elif len(name) > MAX_NAME or CONTROL.search(name.strip()):
        errors["signer_name"] = t.gettext("Your name must be one line of at most 120 characters.")
    if len(reason) > MAX_REASON or "\x00" in reason:
        errors["reason"] = t.gettext("The reason must be at most 2000 characters.")
    elif form.get("decision") == "decline" and not reason.strip():
        errors["reason"] = t.gettext("Please give a reason for declining.")
    return errors


def _form_context(request, form=None, errors=None):
    language = request.language
    return {"mode": "form", "req": request, "expires": _date(request.expires_at, language),
            "form": form or {}, "errors": errors or {}}


def _read_form(webob_request) -> dict:
    """The decision form's fields as text (file parts and other oddities become "").

    The request is parsed first, by the handler convention's `read_request`: a body or query
    string webob or Django cannot read (bad multipart, a charset other than UTF-8, over Django's
    limits on fields, files or size) raises `ApiError`, which the caller turns into the "link not
    valid" page.
    """
    read_request(webob_request)
    if webob_request.method != "POST":
        return {}
    form = {key: webob_request.POST.get(key, "") for key in ("token", "decision", "signer_name", "reason")}
    return {key: value if isinstance(value, str) else "" for key, value in form.items()}


def handle_supervisor_request(block, webob_request):
    """The whole third-party handler: refuse, show or decide."""
    if webob_request.method not in ("GET", "POST"):
        response = _link_error(LinkError("invalid"))
        response.status = 405
        response.allow = ("GET", "POST")
        return response
    is_post = webob_request.method == "POST"
    try:
        form = _read_form(webob_request)
    except ApiError:  # a request that cannot be read: nothing to decide on
        return _link_error(LinkError("invalid"))
    try:
        token = form.get("token") or webob_request.GET.get("token", "")
        request = flow.open_link(token, block.usage_key_string)
        if not is_post:
            return _page(request.language, {**_form_context(request), "token": token})
        errors = _form_errors(form, request.language)
        if errors:
            return _page(request.language, {**_form_context(request, form, errors), "token": token}, 400)
        before = request.agreement.status
        decided = flow.decide_by_supervisor(
            token, block.usage_key_string, form["decision"] == "approve", single_line(form["signer_name"], MAX_NAME),
            form["reason"].strip(), client_address(webob_request, block.trusted_proxies()), webob_request.user_agent or "",
            needs_confirmation=bool(block.require_staff_confirmation))
    except LinkError as error:
        return _link_error(error)
    except UnicodeDecodeError:
        return _link_error(LinkError("invalid"))
    block.apply_outcome(decided.agreement.learner, before, decided.agreement.status)
    return _page(decided.language, {"mode": "done", "req": decided, "approved": decided.status == STATUS_APPROVED,
                                    "decided": _date(decided.decided_at, decided.language)})
