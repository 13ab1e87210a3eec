""""What is due" on the home page (issue 13): the digest reads the database on every load (no cache),
so a write shows on the next read; its queries do not grow with the members; the latest temporary
transfer out is the one whose end is due; the badge count is the badge list's."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangbo.members import rules as mr
from dangbo.members.services import member_event_record
from dangbo.procedures.selectors import badge_list, due_list


@pytest.fixture
def office(world):
    c = Client()
    c.force_login(world.office)
    return c


def _veteran(world, name, org=None):
    """An official member whose 30 years of party age were reached ten days ago (badge overdue)."""
    admitted = mr.add_years(date.today() - timedelta(days=10), -30)
    return world.add(org or world.a1, name, admitted=admitted, official=mr.add_years(admitted, 1))


def test_a_badge_award_shows_on_the_next_home_page(world, office):
    veteran = _veteran(world, "Đỗ Văn Kỳ")
    occasion = mr.next_award_day(date.today())
    home = office.get("/").content.decode()
    assert f"Trao Huy hiệu Đảng ngày {occasion:%d/%m/%Y}" in home and "1 đảng viên" in home
    member_event_record(actor=None, member=veteran, kind="badge", on=date.today(), details={"tier": 30},
                        decision_date=date.today())
    home = office.get("/").content.decode()
    assert "Trao Huy hiệu Đảng" not in home  # the award, written just before, is read at once


def test_due_list_queries_do_not_grow_with_members(world):
    for i in range(2):
        _veteran(world, f"Đảng Viên Một {i}")
    with CaptureQueriesContext(connection) as few:
        first = due_list(user=world.office)
    for i in range(12):
        _veteran(world, f"Đảng Viên Hai {i}", org=world.a2)
    with CaptureQueriesContext(connection) as many:
        second = due_list(user=world.office)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert [d.who for d in first if d.kind.startswith("Trao")] == ["2 đảng viên"]
    assert [d.who for d in second if d.kind.startswith("Trao")] == ["14 đảng viên"]


def test_the_latest_temporary_transfer_sets_the_end(world):
    today = date.today()
    ago = lambda n: today - timedelta(days=n)  # noqa: E731
    member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=ago(300),
                        end_date=ago(300) + timedelta(days=200), place="Trường A", decision_date=ago(300))
    member_event_record(actor=None, member=world.hung, kind="temp_transfer_return", on=ago(150))
    member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=ago(100),
                        end_date=today + timedelta(days=20), place="Trường B", decision_date=ago(100))
    items = [d for d in due_list(user=world.office) if d.kind == "Hết thời hạn sinh hoạt đảng tạm thời"]
    assert [(d.on, d.who, d.late) for d in items] == [(today + timedelta(days=20), "Nguyễn Văn Hùng", False)]


def test_badge_count_is_the_badge_lists(world):
    for i in range(3):
        _veteran(world, f"Cựu Binh {i}", org=(world.a1, world.a2, world.x1)[i])
    occasion = mr.next_award_day(date.today())
    rows = badge_list(user=world.office, occasion=occasion)
    assert sorted(r.member.full_name for r in rows) == ["Cựu Binh 0", "Cựu Binh 1"]  # X1 is another tree
    assert all(r.tier == 30 and r.held_until is None for r in rows)
    badge = [d for d in due_list(user=world.office) if d.kind.startswith("Trao")]
    assert badge[0].who == "2 đảng viên" and badge[0].on == occasion


def test_fee_reliefs_ending_are_due(world, office):
    """Issue 13: an exemption or reduction whose last month is near is in "what is due" — provided by
    the fees app (registered at `ready()`), never imported by procedures; a relief renewed from the
    next month is not; another tree's is not."""
    from dangbo.fees import rules as fr
    from dangbo.fees.services import relief_record
    from dangbo.procedures.selectors import DUE_SOURCES

    assert "fee_reliefs" in DUE_SOURCES
    today = date.today()
    now = fr.month_index(today.year, today.month)
    label = lambda i: "{1:02d}/{0}".format(*fr.month_of_index(i))  # noqa: E731
    relief_record(actor=None, member=world.lan, kind="reduction", pct=50, start_month=now - 10, end_month=now + 1,
                  decision="5-QĐ/ĐU ngày 01/01/2026")
    relief_record(actor=None, member=world.hung, kind="hardship", pct=0, start_month=now - 3, end_month=now,
                  decision="6-QĐ/ĐU ngày 01/01/2026")
    relief_record(actor=None, member=world.hung, kind="hardship", pct=0, start_month=now + 1, end_month=now + 6,
                  decision="7-QĐ/ĐU ngày 01/01/2026")  # renewed: Hùng's first exemption does not end
    relief_record(actor=None, member=world.stranger, kind="reduction", pct=30, start_month=now - 2,
                  end_month=now + 1, decision="8-QĐ/ĐU ngày 01/01/2026")
    items = [d for d in due_list(user=world.office) if "đảng phí" in d.kind]
    assert [(d.kind, d.who, d.late) for d in items] == [
        (f"Hết thời hạn giảm 50 % đảng phí (đến tháng {label(now + 1)})", "Trần Thị Lan", False)]
    assert items[0].url == f"/dang-phi/dang-vien/{world.lan.id}/"
    body = office.get("/viec-can-lam/").content.decode()
    assert "Hết thời hạn giảm 50 % đảng phí" in body and "Phạm Văn Hùng" not in body


def test_early_badge_for_serious_illness(world, office):
    """MEM-3: the cell proposes an early award (≤ 12 months for 30 years); the member is then on the
    earlier occasion's list and in its Word file with the proposal; more than 12 months is refused."""
    import io

    from docx import Document

    from dangbo.core.errors import InvalidInput
    from dangbo.procedures.models import EarlyBadge
    from dangbo.procedures.services import early_badge_propose

    today = date.today()
    admitted = mr.add_months(mr.add_years(today, -30), 8)  # 30 years in 8 months
    ill = world.add(world.a1, "Lý Văn Bệnh", admitted=admitted, official=mr.add_years(admitted, 1))
    soon = mr.next_award_day(today)
    assert "Lý Văn Bệnh" not in office.get(f"/huy-hieu/?dot={soon:%Y-%m-%d}").content.decode()
    with pytest.raises(InvalidInput) as exc:
        early_badge_propose(actor=None, member=ill, months=13, reason="Ung thư giai đoạn cuối",
                            cell_resolution="Nghị quyết 5-NQ/CB", proposed_date=today)
    assert "từ 1 đến 12 tháng" in exc.value.errors["months"] and not EarlyBadge.objects.exists()
    early_badge_propose(actor=None, member=ill, months=12, reason="Ung thư giai đoạn cuối",
                        cell_resolution="Nghị quyết 5-NQ/CB", proposed_date=today)
    body = office.get(f"/huy-hieu/?dot={soon:%Y-%m-%d}").content.decode()
    assert "Lý Văn Bệnh" in body and "Xét sớm 12 tháng do bệnh hiểm nghèo" in body
    docx = office.get(f"/huy-hieu/?dot={soon:%Y-%m-%d}&tai=docx").content
    text = "\n".join(c.text for t in Document(io.BytesIO(docx)).tables for row in t.rows for c in row.cells)
    assert "Lý Văn Bệnh" in text and "Nghị quyết 5-NQ/CB" in text


def test_early_badge_form_over_http(world, office):
    today = date.today()
    admitted = mr.add_months(mr.add_years(today, -30), 6)
    ill = world.add(world.a2, "Lý Thị Ốm", sex="F", admitted=admitted, official=mr.add_years(admitted, 1))
    data = {"member": ill.id, "months": "30", "reason": "Bệnh hiểm nghèo", "cell_resolution": "NQ 7-NQ/CB",
            "proposed_date": today.strftime("%d/%m/%Y")}
    r = office.post("/huy-hieu/xet-som/", data)
    assert r.status_code == 422
    data["months"] = "13"
    r = office.post("/huy-hieu/xet-som/", data)
    assert r.status_code == 422 and "từ 1 đến 12 tháng" in r.content.decode()
    data["months"] = "6"
    assert office.post("/huy-hieu/xet-som/", data).status_code == 302
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.post("/huy-hieu/xet-som/", {**data, "months": "5"}).status_code == 422  # not in their list
    from dangbo.procedures.models import EarlyBadge
    assert list(EarlyBadge.objects.values_list("months", flat=True)) == [6]


def test_badge_rule_not_run_for_members_without_discipline(world, monkeypatch):
    """Members with no discipline and no early proposal are found by their stored next-badge day
    (members.badgedays): `next_badge` is not run for them (a province has tens of thousands)."""
    for i in range(5):
        _veteran(world, f"Cùng Ngày {i}", org=world.a2)
    calls = []
    real = mr.next_badge
    monkeypatch.setattr(mr, "next_badge", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    rows = badge_list(user=world.office, occasion=mr.next_award_day(date.today()))
    assert len(rows) == 5 and calls == []
