"""The tree page at scale: a large tree opens at the levels that fit, each shown organisation with a
link opening the tree at it (inside the user's scope only), counts covering the whole subtree."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dangbo.orgs import views


def _client(username):
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    return c


def _rows(html: str) -> list[tuple[str, str, str]]:
    """(name, official, probationary) of each row of the tree table."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out = []
    for tr in re.findall(r"<tr.*?</tr>", body, re.S):
        name = re.search(r'/to-chuc/\d+/">([^<]+)</a>', tr).group(1)
        nums = re.findall(r'<td class="num">([^<]*)</td>', tr)
        out.append((name, *nums))
    return out


@pytest.mark.parametrize(("levels", "shown"), [
    ([1, 63, 693, 52212], 1), ([1, 11, 830], 1), ([1, 5, 50, 100], 3), ([1, 5, 50, 200], 2), ([1], 1), ([1, 300], 1)])
def test_open_levels_fit_the_row_budget(levels, shown):
    assert views.open_levels(levels) == shown


def test_large_tree_opens_at_first_levels_with_links_down(world, monkeypatch):
    monkeypatch.setattr(views, "TREE_FULL_LIMIT", 3)
    monkeypatch.setattr(views, "TREE_OPEN_ROWS", 3)
    office = _client("office")
    html = office.get("/to-chuc/").content.decode()
    assert _rows(html) == [("Đảng bộ Thử nghiệm", "2", "1"), ("Đảng bộ cơ sở A", "2", "0"), ("Chi bộ cơ sở B", "0", "1")]
    assert "Đang hiện 3/5 tổ chức" in html and f'href="?goc={world.a.id}">cấp dưới (2)' in html
    assert f"?goc={world.b.id}" not in html  # nothing below B
    html = office.get(f"/to-chuc/?goc={world.a.id}").content.decode()
    assert _rows(html) == [("Đảng bộ cơ sở A", "2", "0"), ("Chi bộ A1", "1", "0"), ("Chi bộ A2", "1", "0")]
    assert "Toàn bộ cây</a> › Đảng bộ cơ sở A" in html and "Đang hiện" not in html


def test_opening_the_tree_outside_the_scope_is_not_found(world):
    assert _client("secretary").get(f"/to-chuc/?goc={world.root.id}").status_code == 404
    assert _client("outsider").get(f"/to-chuc/?goc={world.a.id}").status_code == 404
    html = _client("secretary").get(f"/to-chuc/?goc={world.a1.id}").content.decode()
    assert _rows(html) == [("Chi bộ A1", "1", "0")]
    assert "Toàn bộ cây</a> › Chi bộ A1" in html and f"goc={world.root.id}" not in html


def test_show_all_only_for_trees_that_can_render(world, monkeypatch):
    monkeypatch.setattr(views, "TREE_FULL_LIMIT", 3)
    monkeypatch.setattr(views, "TREE_OPEN_ROWS", 3)
    office = _client("office")
    assert "tat-ca=1" in office.get("/to-chuc/").content.decode()
    assert len(_rows(office.get("/to-chuc/?tat-ca=1").content.decode())) == 5
    monkeypatch.setattr(views, "TREE_ALL_LIMIT", 4)
    assert "tat-ca=1" not in office.get("/to-chuc/").content.decode()
    assert len(_rows(office.get("/to-chuc/?tat-ca=1").content.decode())) == 3  # refused: first levels
