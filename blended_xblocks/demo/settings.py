"""Django settings for the demo and the test suite: the XBlock SDK workbench plus our app.

`DATABASE_URL` switches the database (default: SQLite in var/demo.db), e.g.
`mysql://root@127.0.0.1:3306/blended` or `postgres://postgres@127.0.0.1:5432/blended`.
"""
import os
from pathlib import Path

import dj_database_url
import django
import sample_xblocks

try:  # MySQL/MariaDB through the pure-Python driver: nothing to compile on a newcomer's machine
    import pymysql

    pymysql.install_as_MySQLdb()
except ImportError:  # pragma: no cover
    pass

ROOT = Path(os.environ.get("BLENDED_DEMO_ROOT", Path.cwd()))
VAR = ROOT / "var"
VAR.mkdir(exist_ok=True)

DEBUG = os.environ.get("BLENDED_DEMO_DEBUG", "true").lower() == "true"
SECRET_KEY = os.environ.get("BLENDED_DEMO_SECRET_KEY", "demo-only-secret-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

DATABASES = {"default": dj_database_url.parse(
    os.environ.get("DATABASE_URL") or f"sqlite:///{VAR / 'demo.db'}", conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    DATABASES["default"].setdefault("OPTIONS", {})["charset"] = "utf8mb4"
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file too, not Django's shared in-memory database: the browser tests' live server would
    # otherwise share one connection object between its request threads and the test thread, and a request
    # still running when a test ends breaks the next flush ("database table is locked").
    # In memory-backed /dev/shm where there is one (a third faster than disk); one file per test run, so
    # two runs at once (two checkouts, or a second run in the same one) never share a database.
    TEST_DIR = Path("/dev/shm") if Path("/dev/shm").is_dir() else VAR
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_DIR / f"blended-test-{os.getpid()}.db")}
    # A page's blocks ask for their state at the same moment: writers wait for each other (demo/sqlite.py).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["timeout"] = 20
    if django.VERSION >= (5, 1):  # on Django 4.2, demo/apps.py does the same
        options["transaction_mode"] = "IMMEDIATE"
        options["init_command"] = "PRAGMA journal_mode=WAL"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "workbench",
    "submissions",
    "blended_xblocks",
    "blended_xblocks.demo",
]

MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "blended_xblocks.demo.middleware.DemoLanguageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "blended_xblocks.demo.middleware.DemoUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "blended_xblocks.demo.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [str(Path(__file__).parent / "templates"),
             str(Path(sample_xblocks.__file__).parent / "basic" / "templates")],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.template.context_processors.static",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ar", "العربية"), ("fr", "Français"), ("es", "Español")]

STATIC_URL = "/static/"
MEDIA_ROOT = str(VAR / "media")
MEDIA_URL = "/media/"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "blended_xblocks.demo.mail.OutboxBackend"
DEFAULT_FROM_EMAIL = "training@blended.example.org"

WORKBENCH = {
    "reset_state_on_restart": False,
    "services": {"settings": "workbench.services.SettingsService"},
}
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs",
    "helloworld_demo", "html_demo", "problem_demo", "sidebar_demo", "slider_demo",
    "textinput_demo", "thumbs", "view_counter_demo", "debugchild", "sequence_demo",
    "vertical_demo",
}

# Our blocks talk to the workbench through this adapter instead of the LMS services.
BLENDED_XBLOCKS_PLATFORM = "blended_xblocks.demo.platform.WorkbenchPlatform"
# Completion and scores of the demo's standard blocks, for the progress block (platform.outcome_reader).
BLENDED_XBLOCKS_OUTCOME_READER = "blended_xblocks.demo.outcomes.DemoOutcomeReader"
BLENDED_DEMO_COURSE_KEY = "course-v1:IOM+REINT+2022"
BLENDED_DEMO_STAFF = [s for s in os.environ.get("BLENDED_DEMO_STAFF", "instructor,staff").split(",") if s]
BLENDED_DEMO_BASE_URL = os.environ.get("BLENDED_DEMO_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")

XBLOCK_SETTINGS = {
    "BlendedXBlocks": {
        "FROM_EMAIL": DEFAULT_FROM_EMAIL,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"blended_xblocks": {"handlers": ["console"], "level": "WARNING"}},
}
