"""Browser fixtures: Debian's Chromium (never a Playwright download) driven by Playwright's sync API.

Playwright's sync API keeps an asyncio loop marked as running in the main thread for as long as it
is started, so Django would refuse ORM calls there (fixtures, flushes) with SynchronousOnlyOperation;
the browser fixture allows them while it runs and restores the environment afterwards.
"""

import os
import shutil

import pytest

from tests.browser.readability import CONTRAST_JS, ENGLISH, HIDDEN_CELLS_JS

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium's own connections are refused on a closed network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail("Chromium is missing: run scripts/install-test-deps (make test does)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Problems(list):
    """Console errors, uncaught page errors and failed or 5xx requests seen by a page."""


def _on_console(page, message):
    # Chromium reports every 4xx/5xx load as "Failed to load resource" without the address;
    # `_on_response` judges those with the address instead.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.problems.append(f"console: {message.text}")


def _on_response(page, response):
    # A 4xx document is part of a flow (422 form errors, 429 lockout); a 4xx asset is a broken page.
    # The browser asks for /favicon.ico on its own and the site has none.
    if response.status >= 500 or (
        response.status >= 400 and response.request.resource_type != "document"
        and not response.url.endswith("/favicon.ico")
    ):
        page.problems.append(f"{response.status}: {response.request.resource_type} {response.url}")


def _on_failed(page, request):
    # An asset still loading when the page moves on (a click or goto right after the load event
    # the test waited for) is cancelled by Chromium as net::ERR_ABORTED: that is the browser
    # leaving, not a broken page. A missing asset answers 404 and `_on_response` reports it.
    if request.failure == "net::ERR_ABORTED" and request.resource_type != "document":
        return
    page.problems.append(f"failed: {request.url} {request.failure}")


@pytest.fixture
def page_factory(browser, transactional_db, live_server):
    """Open pages on the live server; each page carries `.problems` for the test to assert empty."""
    contexts = []

    def make(**context_kwargs):
        ctx = browser.new_context(base_url=live_server.url, locale="vi-VN", **context_kwargs)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        page.problems = Problems()
        page.on("console", lambda m: _on_console(page, m))
        page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: _on_failed(page, r))
        page.on("response", lambda r: _on_response(page, r))
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(page_factory):
    return page_factory(viewport={"width": 1280, "height": 900})


# ------------------------------------------------------------------------------------------------------
# What every page must be for a person (UI.md), for any browser test to call on the pages of its journey:
# `assert_readable(page)` = no sideways scroll + every visible button/link readable (contrast ≥ 4.5:1) +
# no English word or code on screen; `assert_columns_visible(page)` = no table hides a column.

def low_contrast(page) -> list[str]:
    """Visible buttons and links whose text contrast is under 4.5:1 ("text ratio")."""
    return page.evaluate(CONTRAST_JS)


def english_on_screen(page) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(page.evaluate("document.body.innerText"))})


def sideways_scroll(page) -> int:
    """How many pixels the page is wider than the window (0 = none)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def assert_readable(page, *, english_ok=()) -> None:
    """The page as a person sees it: no sideways scroll, every button and link readable, no English
    or code on screen (`english_ok`: words a page may legitimately show, e.g. a username)."""
    where = page.url
    assert sideways_scroll(page) <= 1, f"{where} scrolls sideways by {sideways_scroll(page)} px"
    assert not low_contrast(page), f"{where}: buttons/links with contrast < 4.5:1: {low_contrast(page)}"
    words = [w for w in english_on_screen(page) if w not in english_ok]
    assert not words, f"{where}: English or code on screen: {words}"


def assert_columns_visible(page) -> None:
    """Every cell of every `table.list` takes room on the page (no hidden column, on a phone too)."""
    hidden = page.evaluate(HIDDEN_CELLS_JS)
    assert not hidden, f"{page.url}: hidden table cells: {hidden[:5]}"
