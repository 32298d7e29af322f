"""Browser fixtures: the demo served by pytest-django's live server, driven by headless Chromium.

The scenarios are reloaded for each test (the database is flushed between tests).
"""
import pytest

from tests.browser.chromium import FLAGS, HINT, find_chromium
from tests.harness import load_demo_scenarios


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = find_chromium()
        try:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"{HINT} ({error})")
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server):
    """Base URL of a demo server whose scenarios are freshly loaded into the test database."""
    load_demo_scenarios()
    return live_server.url


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (no shared cookies): `new_page(language="ar")`."""
    contexts = []

    def open_page(language="en", **options):
        context = browser.new_context(locale=language, extra_http_headers={"Accept-Language": language}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def run_axe(page, selector):
    """axe-core (shipped inside axe-playwright-python, never fetched) on one element; violations list."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=selector)
    return results.response["violations"]
