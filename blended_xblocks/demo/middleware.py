"""Demo identity and language, as a login and a learner's preference give them in the LMS.

`?student=amina` signs the browser in as that demo user: the choice is kept in the session, so
our own views, which the workbench's `?student=` does not reach (a staff download the handler
redirects to), see the same `request.user` as the blocks do. `?lang=ar` sets the language (kept
in a cookie).
"""
from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from blended_xblocks.demo.people import demo_user

COOKIE = "blended_demo_language"
SESSION_STUDENT = "blended_demo_student"


class DemoUserMiddleware:
    """After Django's AuthenticationMiddleware: the demo user replaces the (absent) login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        student = request.GET.get("student", "")
        if student and student != "none":
            if request.session.get(SESSION_STUDENT) != student:
                request.session[SESSION_STUDENT] = student
        else:
            student = request.session.get(SESSION_STUDENT, "")
        if student:
            request.user = SimpleLazyObject(lambda: demo_user(student))
        return self.get_response(request)


class DemoLanguageMiddleware:
    """Lets `?lang=` choose the demo's language, as a learner's LMS preference would."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        asked = request.GET.get("lang")
        language = asked if asked in self.known else request.COOKIES.get(COOKIE)
        if language not in self.known:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if asked in self.known:
            response.set_cookie(COOKIE, asked, samesite="Lax")
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
