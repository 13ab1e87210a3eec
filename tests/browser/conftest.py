"""Browser fixtures: Debian's Chromium (never a Playwright download) driven by Playwright's sync API.

Playwright's sync API keeps an asyncio loop marked as running in the main thread for as long as it
is started, so Django would refuse ORM calls there (fixtures, flushes) with SynchronousOnlyOperation;
the browser fixture allows them while it runs and restores the environment afterwards.
"""

import os
import re
import shutil

import pytest

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
        page.on("requestfailed", lambda r: page.problems.append(f"failed: {r.url} {r.failure}"))
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

#: words that should never reach a Vietnamese user (field names, enum codes, English UI)
ENGLISH = re.compile(r"\b(None|True|False|null|undefined|NaN|Logout|Log in|Logged out|Submit|Save|Cancel|Delete|"
                     r"Edit|Search|Next|Previous|present|summoned|floor|reprimand|warning|committee|official|"
                     r"probationary|excellent|good|completed|not_completed|pending|running|failed|done|draft|closed|"
                     r"open)\b|\b[a-z]+_[a-z_]+\b|\b(member|org|congress|election|vote|appraisal|registry)\.[a-z_]+\b")

#: WCAG relative luminance contrast of each visible button and link against the first opaque background
#: behind it (as scripts/page_walk.py does); returns "text ratio" for those under 4.5:1
CONTRAST_JS = """() => {
  function rgb(s){const m=s.match(/rgba?\\(([^)]+)\\)/); if(!m) return null; const p=m[1].split(',').map(Number);
    return {r:p[0],g:p[1],b:p[2],a:p.length>3?p[3]:1};}
  function lum(c){const f=v=>{v/=255;return v<=0.03928?v/12.92:Math.pow((v+0.055)/1.055,2.4)};
    return 0.2126*f(c.r)+0.7152*f(c.g)+0.0722*f(c.b);}
  function bg(el){while(el){const c=rgb(getComputedStyle(el).backgroundColor); if(c&&c.a>0.5) return c; el=el.parentElement;}
    return {r:255,g:255,b:255,a:1};}
  const bad=[];
  for (const el of document.querySelectorAll('button, a, input[type=submit], .button, summary')) {
    const r=el.getBoundingClientRect(); if(!r.width||!r.height) continue;
    const st=getComputedStyle(el); if(st.visibility==='hidden'||st.display==='none') continue;
    const fg=rgb(st.color), b=bg(el); if(!fg) continue;
    const l1=lum(fg), l2=lum(b); const ratio=(Math.max(l1,l2)+0.05)/(Math.min(l1,l2)+0.05);
    const text=(el.innerText||el.value||'').trim();
    if(ratio<4.5 && text) bad.push(text.slice(0,40)+' '+ratio.toFixed(2));
  }
  return bad;
}"""

HIDDEN_CELLS_JS = """() => {
  const bad = [];
  document.querySelectorAll('table.list').forEach((t, i) => {
    t.querySelectorAll('tbody td').forEach(td => {
      const st = getComputedStyle(td);
      if (st.display === 'none' || st.visibility === 'hidden' || td.offsetWidth === 0)
        bad.push(`table ${i + 1}, column ${td.cellIndex + 1}: ${td.innerText.trim().slice(0, 30)}`);
    });
  });
  return bad;
}"""


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
