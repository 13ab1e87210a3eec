"""Every link a page shows can be followed by the user who sees it: starting from the home page, each
role follows the links of the pages it opens (same site, GET, two addresses of each shape, downloads
included) and none answers 403 or 404. The 390 px walk found a member's own profile linking to their
cell's page (404 for a member) and the what-is-due page linking a secretary to the office's holiday
calendar (403)."""

import re
from datetime import date

import pytest
from django.test import Client

from dangbo.congress.services import congress_create, delegate_add

LINK = re.compile(r'<a [^>]*href="(/[^"#?]*)')
SKIP = re.compile(r"^/(quan-tri|api|dang-xuat|static)/")
LIMIT = 120


def _crawl(user) -> dict[str, tuple[int, str]]:
    """{address: (status, the page that linked it)} of what the user reached from the home page."""
    client = Client()
    client.force_login(user)
    queue, seen, shapes, reached = [("/", "")], {"/"}, {}, {}
    while queue and len(reached) < LIMIT:
        path, came_from = queue.pop(0)
        response = client.get(path)
        reached[path] = (response.status_code, came_from)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for link in LINK.findall(response.content.decode()):
            shape = re.sub(r"\d+", "N", link)
            if link in seen or SKIP.match(link) or shapes.get(shape, 0) >= 2:
                continue
            seen.add(link)
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append((link, path))
    return reached


@pytest.mark.parametrize("role", ["member_user", "secretary", "office"])
def test_no_page_links_where_its_reader_cannot_go(world, role):
    congress = congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                               name="Đại hội Thử nghiệm", start_date=date(2025, 7, 28))
    delegate_add(actor=None, congress=congress, member=world.lan, obtained="appointed")  # the member is a delegate
    reached = _crawl(getattr(world, role))
    refused = {path: how for path, how in reached.items() if how[0] in (403, 404)}
    assert refused == {}, f"{role} is shown links it cannot follow: {refused}"
    assert len(reached) > (5 if role == "member_user" else 25), sorted(reached)
