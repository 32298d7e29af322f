"""Demo language switch: `?lang=ar` sets the language (kept in a cookie), as a learner's
preference does in the LMS."""
from django.conf import settings
from django.utils import translation

COOKIE = "blended_demo_language"


class DemoLanguageMiddleware:
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
