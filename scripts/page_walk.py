#!/usr/bin/env python3
"""Walk pages as a user would: log in as each role, open each page at 1366 px and 390 px in Debian's
Chromium, save a screenshot, and report what a reviewer must not see — sideways scrolling, hidden table columns, text or
buttons with too little contrast, and English words or code left on screen.

    .venv/bin/python scripts/page_walk.py --base http://127.0.0.1:8000 --out /tmp/walk \
        --user vanphong --password dangbo-demo-2025 / /dang-vien/ /to-chuc/ …

With `--crawl N` it also follows the links it finds on those pages (same site, GET, no downloads, no
logout), at most two addresses of each shape (/dang-vien/12/ and /dang-vien/13/ are one shape), up to
N pages — the way to walk "every page" of a role.

Prints one line per page and width; exit code 1 when a problem was found. A tool for people (the
screenshots are to be looked at); the browser tests check the same things on their journeys.
"""

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for tests.browser
from tests.browser.readability import CONTRAST_JS, ENGLISH, HIDDEN_CELLS_JS  # noqa: E402  (the same checks as the browser tests)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SKIP = re.compile(r"\.(docx|xlsx|csv|pdf|json)$|/tai-ve|/xuat|/dang-xuat|/quan-tri/|/api/|/tep/")


def _links(page, base: str) -> list[str]:
    """Same-site page addresses linked from the page, without query or fragment, downloads skipped."""
    hrefs = page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        if not href.startswith(base):
            continue
        path = href[len(base):].split("#")[0].split("?")[0] or "/"
        if not SKIP.search(path):
            out.append(path)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8000")
    ap.add_argument("--out", default="/tmp/walk")
    ap.add_argument("--user")
    ap.add_argument("--password", default="dangbo-demo-2025")
    ap.add_argument("--widths", default="1366,390")
    ap.add_argument("--crawl", type=int, default=0, help="follow links found, up to N pages")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in (int(w) for w in a.widths.split(",")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            if a.user:
                page.goto(a.base + "/dang-nhap/")
                page.fill("input[name=username]", a.user)
                page.fill("input[name=password]", a.password)
                page.click("button[type=submit], input[type=submit]")
                page.wait_for_load_state("networkidle")
            queue, seen, shapes = list(a.paths), set(a.paths), {}
            while queue:
                path = queue.pop(0)
                try:
                    resp = page.goto(a.base + path)
                except PlaywrightError as error:  # a download, or a page that never settled
                    print(f"?  {width:>4} {path} → {str(error).splitlines()[0]}")
                    continue
                page.wait_for_load_state("networkidle")
                name = f"{a.user or 'anon'}-{width}-{re.sub(r'[^a-z0-9]+', '_', path.strip('/')) or 'home'}.png"
                page.screenshot(path=str(out / name), full_page=True)
                sw = page.evaluate("document.documentElement.scrollWidth")
                text = page.evaluate("document.body.innerText")
                english = sorted({m.group(0) for m in ENGLISH.finditer(text)})
                low = page.evaluate(CONTRAST_JS)
                hidden = page.evaluate(HIDDEN_CELLS_JS)
                issues = []
                if sw > width + 1:
                    issues.append(f"rộng {sw}px")
                if english:
                    issues.append("chữ/mã tiếng Anh: " + ", ".join(english[:8]))
                if hidden:
                    issues.append("cột bị ẩn: " + "; ".join(hidden[:3]))
                if low:
                    issues.append("tương phản thấp: " + "; ".join(low[:4]))
                problems += bool(issues)
                print(f"{resp.status if resp else '?'} {width:>4} {path} → {name}" + (" | " + " | ".join(issues) if issues else ""))
                if a.crawl and len(seen) < a.crawl:
                    for link in _links(page, a.base):
                        shape = re.sub(r"\d+", "N", link)
                        if link not in seen and shapes.get(shape, 0) < 2 and len(seen) < a.crawl:
                            seen.add(link)
                            shapes[shape] = shapes.get(shape, 0) + 1
                            queue.append(link)
            page.close()
        browser.close()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
