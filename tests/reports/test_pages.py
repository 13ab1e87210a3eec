"""Statistics pages through HTTP (issue 14): scope, the day, comparison, downloads, the fast path."""

import io
import random
from datetime import date, timedelta

from django.test import Client
from docx import Document
from openpyxl import load_workbook

from dangbo.members.rules import allowed_events
from dangbo.members.services import member_event_record
from dangbo.reports import rules, selectors


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_office_sees_the_committee_with_charts_and_downloads(world):
    r = client_for(world.office).get("/thong-ke/", follow=True)
    assert r.redirect_chain == [(f"/thong-ke/{world.root.id}/", 302)] and r.status_code == 200
    body = r.content.decode()
    assert "Đảng bộ Thử nghiệm" in body and "<svg" in body and "Độ tuổi" in body
    assert "thong-ke.xlsx" in body and "bao-cao.docx" in body


def test_secretary_only_inside_her_subtree(world):
    c = client_for(world.secretary)
    assert c.get(f"/thong-ke/{world.a.id}/").status_code == 200
    assert c.get(f"/thong-ke/{world.root.id}/").status_code == 404
    assert c.get(f"/thong-ke/{world.x1.id}/thong-ke.xlsx").status_code == 404
    r = c.get("/thong-ke/", follow=True)
    assert "<h1>Thống kê đảng viên — Đảng bộ cơ sở A</h1>" in r.content.decode()


def test_member_is_told_the_page_is_not_theirs(world):
    r = client_for(world.member_user).get("/thong-ke/")
    assert r.status_code == 403


def test_day_and_comparison(world):
    member_event_record(actor=None, member=world.lan, kind="death", on=date(2026, 3, 1))
    c = client_for(world.office)
    r = c.get(f"/thong-ke/{world.root.id}/", {"ngay": "31/03/2026", "so_sanh": "01/01/2026"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "Biến động trong kỳ" in body and "Từ trần" in body
    assert "<strong>2</strong> đảng viên" in body
    bad = c.get(f"/thong-ke/{world.root.id}/", {"ngay": "31/03/2026", "so_sanh": "01/04/2026"})
    assert bad.status_code == 422 and "Ngày so sánh phải trước" in bad.content.decode()
    assert c.get("/thong-ke/", {"ngay": "31/02/2026"}, follow=True).status_code == 422
    # the subordinates are links one level down, the parent one level up
    assert f'href="/thong-ke/{world.a.id}/?' in body
    assert f'href="/thong-ke/{world.root.id}/?' in c.get(f"/thong-ke/{world.a.id}/").content.decode()


def test_downloads_match_the_page(world):
    c = client_for(world.office)
    r = c.get(f"/thong-ke/{world.a.id}/thong-ke.xlsx", {"ngay": "01/01/2026", "so_sanh": "01/08/2025"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(r.content))
    assert "Biến động trong kỳ" in wb.sheetnames and wb["Tổng số"]["B6"].value == 2
    d = c.get(f"/thong-ke/{world.a.id}/bao-cao.docx", {"ngay": "01/01/2026"})
    doc = Document(io.BytesIO(d.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ĐẢNG BỘ CƠ SỞ A" in text and "01/01/2026" in text and len(doc.tables) == 9


def test_past_reports_read_the_same_later_and_the_fast_path_is_the_replay(world):
    """Events recorded day by day; each day's report from the cached states (what the office saw then)
    equals the report for that day replayed later from the events."""
    rng = random.Random(14)
    people = [world.hung, world.lan, world.hoa]
    people += [world.add(rng.choice([world.a1, world.a2, world.b]), f"Đảng viên {i}", sex=rng.choice("MF"),
                         birth_date=date(1950 + 5 * i, 1 + i, 2), admitted=date(1990 + 3 * i, 5, 1),
                         official=date(1991 + 3 * i, 5, 1), ethnicity=rng.choice(["Kinh", "Tày"]))
               for i in range(6)]
    day, seen = date(2026, 1, 10), {}
    for _ in range(14):
        day += timedelta(days=rng.randint(1, 40))
        m = rng.choice(people)
        m.refresh_from_db()
        kinds = [k for k in allowed_events(m.state, m.away, m.suspended) if k in (
            "transfer_internal", "death", "leaving", "removal", "exemption", "exemption_end", "recognition")]
        if kinds:
            kind = rng.choice(kinds)
            to = rng.choice([o for o in (world.a1, world.a2, world.b) if o.id != m.organization_id])
            try:
                member_event_record(actor=None, member=m, kind=kind, on=day,
                                    to_org=to if kind == "transfer_internal" else None)
            except Exception:  # e.g. recognition before the 12 months: the service refuses, nothing written
                pass
        for org in (world.root, world.a):
            seen[(org.code, day)] = selectors.report_current(org, day)
    for (code, d), then in seen.items():
        org = world.root if code == "ROOT" else world.a
        assert selectors.report_replayed(org, d) == then, (code, d)
    first, last = min(d for _c, d in seen), max(d for _c, d in seen)
    changes = selectors.changes_replayed(world.root, first, last)
    assert rules.reconciles(seen[("ROOT", first)]["total"], seen[("ROOT", last)]["total"], changes)
