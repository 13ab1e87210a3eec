"""The staff home page at any size: the scope's counts, its grassroots organisations listed up to a
limit (a province or the nation gets their number and the tree page instead), and "what is due"
asked for after the page is shown — so the page never reads the whole tree nor the scope's due list."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangbo.orgs import selectors


def test_the_home_lists_the_grassroots_with_their_subtree_counts(world):
    root, n, rows = selectors.home_overview(user=world.office)
    assert root["org"] == world.root and (root["official"], root["probationary"]) == (2, 1)
    assert n == 2 and [(r["org"].code, r["official"], r["probationary"]) for r in rows] == [("A", 2, 0), ("B", 0, 1)]
    c = Client()
    c.force_login(world.office)
    body = c.get("/").content.decode()
    assert "Đảng bộ cơ sở A" in body and "Chi bộ cơ sở B" in body
    assert "Việc cần làm" in body and 'hx-get="/viec-can-lam/tom-tat/"' not in body  # a committee: listed at once


def test_a_big_scope_asks_for_what_is_due_after_the_page(world, monkeypatch):
    from dangbo.accounts import views

    monkeypatch.setattr(views, "HOME_DIGEST_INLINE_MEMBERS", 2)  # the test tree has 3 counted members
    calls = []
    from dangbo.procedures import selectors as procedures

    monkeypatch.setattr(procedures, "due_summary", lambda **kw: calls.append(kw) or None)  # what due_digest reads
    c = Client()
    c.force_login(world.office)
    body = c.get("/").content.decode()
    assert 'hx-get="/viec-can-lam/tom-tat/"' in body and calls == []  # the page did not compute the list
    assert "Không có việc nào đến hạn" in c.get("/viec-can-lam/tom-tat/").content.decode() and len(calls) == 1


def test_above_the_limit_the_home_gives_the_number_and_the_tree(world, monkeypatch):
    monkeypatch.setattr(selectors, "HOME_GRASSROOTS_MAX", 1)
    root, n, rows = selectors.home_overview(user=world.office)
    assert (n, rows) == (2, None) and root["official"] == 2
    listing = '"orgs_organization"."depth" <= 1'  # the grassroots' level read as rows
    with CaptureQueriesContext(connection) as seen:
        selectors.home_overview(user=world.office)
    assert not any(listing in q["sql"] for q in seen.captured_queries)
    monkeypatch.setattr(selectors, "HOME_GRASSROOTS_MAX", 2)
    with CaptureQueriesContext(connection) as seen:
        selectors.home_overview(user=world.office)
    assert any(listing in q["sql"] for q in seen.captured_queries)  # the check sees the listing when there is one
    monkeypatch.setattr(selectors, "HOME_GRASSROOTS_MAX", 1)
    c = Client()
    c.force_login(world.office)
    body = c.get("/").content.decode()
    assert "2 tổ chức cơ sở: xem theo từng cấp" in body and "Đảng bộ cơ sở A</a>" not in body


def test_the_digest_is_staff_only_and_scoped(world):
    member = Client()
    member.force_login(world.member_user)
    assert member.get("/viec-can-lam/tom-tat/").status_code in (302, 403)
    secretary = Client()
    secretary.force_login(world.secretary)
    r = secretary.get("/viec-can-lam/tom-tat/")
    assert r.status_code == 200 and "Việc cần làm" in r.content.decode()
