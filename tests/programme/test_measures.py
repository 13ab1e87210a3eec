"""The measures read from the platform's own records: cell meetings (MTG-1, MTG-5) and party fees paid
online (FEE-10), each figure computed here from records the test creates."""

from datetime import date
from decimal import Decimal

import pytest

from dangbo.fees import services as fees
from dangbo.meetings import services as meetings
from dangbo.programme import measures, selectors


@pytest.fixture
def today(monkeypatch):
    """15/06/2026: 2025 is a past year, judged in full."""
    monkeypatch.setattr(measures.timezone, "localdate", lambda: date(2026, 6, 15))


def held(org, day, statuses=None, kind="ordinary"):
    m = meetings.meeting_create(actor=None, organization=org, held_on=day, kind=kind)
    meetings.attendance_record(actor=None, meeting=m, entries={
        a.id: ((statuses or {}).get(a.member_id, "present"), "") for a in m.attendance.all()})
    meetings.meeting_record(actor=None, meeting=m, data={"resolution": "Quyết nghị"}, minutes=90,
                            votes_for=None, votes_against=None)
    return m


def figure(code, year, path):
    return measures.tallies(code, year, selectors.rule_settings()).get(path)


def test_cells_holding_every_monthly_meeting(world, today):
    w = world  # cells founded 01/07/2025: A1, A2 (under A), B; X1 under another committee
    for month in range(7, 13):
        held(w.a1, date(2025, month, 5))
    for month in range(7, 12):  # A2 misses December
        held(w.a2, date(2025, month, 5))
    held(w.b, date(2025, 12, 5), kind="extraordinary")  # an extraordinary meeting is not the month's
    root, a = figure("cells_monthly", 2025, w.root.path), figure("cells_monthly", 2025, w.a.path)
    assert (root.counted, root.meeting) == (3, 1)
    assert (a.counted, a.meeting) == (2, 1)
    assert a.pct == Decimal(50)
    assert figure("cells_monthly", 2025, w.other.path).meeting == 0
    assert figure("cells_monthly", 2027, w.root.path) is None  # a year not begun


def test_this_month_is_not_yet_judged(world, today):
    w = world
    for month in range(1, 6):  # January to May 2026; June's meeting may still be ahead
        held(w.a1, date(2026, month, 5))
    assert figure("cells_monthly", 2026, w.a1.path).meeting == 1
    assert figure("cells_monthly", 2026, w.a2.path).meeting == 0


def test_attendance_rate(world, today):
    w = world
    w.add(w.a1, "Đỗ Văn Nam")
    held(w.a1, date(2025, 9, 5), {w.hung.id: "absent"})  # 1 of 2 present
    held(w.a1, date(2025, 10, 5))  # 2 of 2
    held(w.a2, date(2025, 10, 5))  # Lan: 1 of 1
    held(w.b, date(2025, 10, 5), {w.hoa.id: "excused"})  # absent with reason: still expected
    a, root = figure("meeting_attendance", 2025, w.a.path), figure("meeting_attendance", 2025, w.root.path)
    assert (a.counted, a.meeting) == (5, 4)
    assert (root.counted, root.meeting) == (6, 4)
    assert root.pct.quantize(Decimal("0.1")) == Decimal("66.7")
    assert figure("meeting_attendance", 2026, w.root.path) is None


def declare(m):
    fees.declaration_set(actor=None, member=m, category="insured", base=6_000_000, from_month="2025-01")


def test_fees_paid_online(world):
    w = world
    for m in (w.hung, w.lan, w.hoa, w.stranger):
        declare(m)
    fees.payment_record(actor=None, member=w.hung, month="2026-01", method="online", reference="DVC1")
    fees.payment_record(actor=None, member=w.hung, month="2026-02", method="cash")
    fees.payment_record(actor=None, member=w.lan, month="2026-01", method="online", reference="DVC2")
    fees.payment_record(actor=None, member=w.hoa, month="2026-01", method="cash")
    fees.payment_record(actor=None, member=w.hoa, month="2026-02", method="excused", reference="Ốm dài ngày")
    fees.payment_record(actor=None, member=w.stranger, month="2026-01", method="online", reference="DVC3")
    fees.payment_record(actor=None, member=w.hung, month="2025-12", method="online", reference="DVC0")
    root, a = figure("fees_online", 2026, w.root.path), figure("fees_online", 2026, w.a.path)
    assert (a.counted, a.meeting) == (3, 2)
    assert (root.counted, root.meeting) == (4, 2)  # the excused month is no payment; X1 is elsewhere
    assert root.pct == Decimal(50)
    assert (figure("fees_online", 2025, w.root.path).counted) == 1


def test_a_target_on_a_new_measure_reads_its_figure(prog, today):
    from dangbo.programme import services
    from dangbo.programme.models import Target

    w = prog
    t = services.target_save(actor=None, programme=w.programme, data={
        "code": "CT7", "title": "Chi bộ sinh hoạt hằng tháng", "unit": "%", "term_goal": "100",
        "source": Target.COMPUTED, "measure": "cells_monthly"})
    for month in range(7, 13):
        held(w.b, date(2025, month, 5))
    row = selectors.status(t, w.root, selectors.Context(2025))
    assert row["actual"].quantize(Decimal("0.1")) == Decimal("33.3")


def test_a_page_context_gives_each_organisations_figure_as_computed_over_its_whole_subtree(prog):
    """The dashboard computes only its organisation and those directly under it (Context.root); every
    target's figure there — and for a grandchild asked of the same Context — equals the full roll-up's."""
    from dangbo.programme.models import Figure
    from tests.programme.conftest import model, report

    w = prog
    model(w, w.a1, "hcm_study"), model(w, w.b, "dan_van_kheo", field="economy")
    model(w, w.a2, "dan_van_kheo", field="economy")
    report(w, w.t_plan, w.a, 2026, "100"), report(w, w.t_plan, w.b, 2026, "80")
    report(w, w.d_sign, w.a1, 2026, "70"), report(w, w.d_sign, w.b, 2026, "90")
    assert Figure.objects.count() == 4
    page, full = selectors.Context(2026, root=w.root.path), selectors.Context(2026)
    for t in w.programme.targets.all():
        for org in (w.root, w.a, w.b, w.a1):
            assert selectors.status(t, org, page) == selectors.status(t, org, full), (t.code, org.code)
    assert set(page.tallies("models_hcm", w.root.path)) == {w.root.path, w.a.path, w.b.path}
