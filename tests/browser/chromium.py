"""Find a Chromium for the browser tests, or say in one line how to get one.

`python -m tests.browser.chromium` exits 1 with that line when none is found (`make test` runs it).
"""
import os
import shutil
import sys

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HINT = ("No Chromium found for the browser tests: install Debian's package (`sudo apt-get install chromium`), "
        "or run `.venv/bin/playwright install chromium`, or set CHROMIUM=/path/to/chrome.")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def find_chromium():
    """Path to a Chromium binary, or None when only Playwright's own download may exist."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def playwright_has_own_chromium():
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            return os.path.exists(playwright.chromium.executable_path)
    except Exception:  # noqa: BLE001 - any failure means "not usable"
        return False


if __name__ == "__main__":
    if find_chromium() or playwright_has_own_chromium():
        sys.exit(0)
    print(HINT, file=sys.stderr)
    sys.exit(1)
