"""Browser tests: Debian's Chromium, driven by Playwright for Python, against the live server.

Playwright's own browser download does not work here; scripts/setup-system.sh installs
Debian's chromium, and a missing binary fails the test rather than skipping it.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls
# from the test body and the live server's fixtures.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: browser tests need Debian's chromium "
            "(scripts/setup-system.sh installs it: apt-get install -y chromium fonts-noto-cjk)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db, live_server, settings):
    """The live server with the demo loaded (transactional tests flush the database after each)."""
    # Reloading a dozen accounts with the production hasher costs seconds per test; accounts
    # that survive from the session's set-up keep their PBKDF2 hashes, which still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    call_command("demo", quiet=True)
    return live_server


@pytest.fixture
def page(browser, demo_site):
    context = browser.new_context(base_url=demo_site.url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def results_dir(request) -> Path:
    """test-results/ at the project root (gitignored): screenshots for a person to look at."""
    path = Path(request.config.rootpath) / "test-results"
    path.mkdir(exist_ok=True)
    return path
