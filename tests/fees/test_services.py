"""Fee services and selectors: declarations (audited, amount masked), reliefs, payments, the ledger,
unpaid months for MTG-8, remittances and the settlement."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.fees import rules, selectors, services
from dangbo.fees.models import Declaration, Payment, Relief

M = rules.month_index


@pytest.fixture
def today(monkeypatch):
    """The tests' today: 15/06/2026 (selectors read `this_month`)."""
    monkeypatch.setattr(selectors, "this_month", lambda today=None: M(2026, 6))


def declare(m, base=6_000_000, category="insured", month="2025-01"):
    return services.declaration_set(actor=None, member=m, category=category, base=base, from_month=month)


def test_declaration_audited_without_the_amount(world):
    declare(world.lan, 6_000_000)
    declare(world.lan, 7_000_000, month="2026-03")
    ev = AuditEvent.objects.filter(action="fees.declaration_set").order_by("id")
    assert ev.count() == 2
    assert ev[1].before["base"] == "•••" and ev[1].after["base"] == "•••"
    assert "7000000" not in str(ev[1].after) and "6000000" not in str(ev[1].before)
    assert ev[1].org_path == world.lan.org_path


def test_declaration_refused_unchanged(world):
    declare(world.lan)
    with pytest.raises(InvalidInput) as e:
        services.declaration_set(actor=None, member=world.lan, category="insured", base=None, from_month="2025-01")
    assert "base" in e.value.errors
    with pytest.raises(InvalidInput):
        services.declaration_set(actor=None, member=world.lan, category="x", base=1, from_month="2025-01")
    assert list(Declaration.objects.values_list("category", "base")) == [("insured", 6_000_000)]


def test_dues_follow_declarations_regime_and_reliefs(world):
    declare(world.lan, 6_000_000, category="benefit")
    services.relief_record(actor=None, member=world.lan, kind="reduction", pct=50, start_month="2026-03",
                           end_month="2026-04", decision="05-QĐ/ĐU ngày 20/02/2026")
    d = selectors.dues([world.lan], M(2026, 1), M(2026, 5))[world.lan.id]
    assert [d[M(2026, i)].due for i in range(1, 6)] == [30_000, 60_000, 30_000, 30_000, 60_000]
    assert d[M(2026, 1)].regime == "342-QĐ/TW" and d[M(2026, 2)].regime == "01-QĐ/TW"


def test_relief_limits(world):
    with pytest.raises(InvalidInput) as e:
        services.relief_record(actor=None, member=world.lan, kind="reduction", pct=40, start_month="2026-01",
                               end_month="2027-06", decision="")
    assert {"pct", "end_month", "decision"} <= set(e.value.errors)
    with pytest.raises(InvalidInput) as e:
        services.relief_record(actor=None, member=world.lan, kind="hardship", pct=0, start_month="2026-01",
                               end_month="2026-03", decision="Quyết định\u202e 1")
    assert "decision" in e.value.errors
    assert Relief.objects.count() == 0


def test_payments_cash_online_excused(world, today):
    declare(world.lan)
    p = services.payment_record(actor=None, member=world.lan, month="2026-02", method="cash")
    assert (p.amount, p.due, p.receipt_no) == (60_000, 60_000, 1)
    q = services.payment_record(actor=None, member=world.lan, month="2026-03", method="online", reference="DVC123")
    assert q.receipt_no == 2
    with pytest.raises(InvalidInput, match="mã giao dịch"):
        services.payment_record(actor=None, member=world.lan, month="2026-04", method="online")
    with pytest.raises(InvalidInput, match="lý do"):
        services.payment_record(actor=None, member=world.lan, month="2026-04", method="excused")
    with pytest.raises(InvalidInput, match="ít hơn"):
        services.payment_record(actor=None, member=world.lan, month="2026-04", method="cash", amount=10_000)
    with pytest.raises(InvalidInput, match="đã ghi"):
        services.payment_record(actor=None, member=world.lan, month="2026-02", method="cash")
    assert Payment.objects.count() == 2
    services.payment_record(actor=None, member=world.lan, month="2026-04", method="excused", reference="Ốm nặng")
    more = services.payment_record(actor=None, member=world.lan, month="2026-05", method="cash", amount=100_000)
    assert more.amount == 100_000  # paying more is allowed (FEE-1)


def test_collection_is_all_or_nothing(world, today):
    declare(world.lan)
    declare(world.hung)
    with pytest.raises(InvalidInput) as e:
        services.collection_record(actor=None, org=world.a, month="2026-02", rows=[
            (world.lan, "cash", None, ""), (world.hung, "online", None, "")])
    assert f"m{world.hung.id}" in e.value.errors
    assert Payment.objects.count() == 0
    with pytest.raises(InvalidInput):
        services.collection_record(actor=None, org=world.a1, month="2026-02", rows=[(world.lan, "cash", None, "")])


def test_unpaid_months_for_the_warning_list(world, today):
    declare(world.lan)
    declare(world.hung)
    for month in ("2026-01", "2026-02", "2026-05"):
        services.payment_record(actor=None, member=world.lan, month=month, method="cash")
    services.payment_record(actor=None, member=world.lan, month="2026-03", method="excused", reference="Đi viện")
    out = selectors.unpaid_months([world.lan.id, world.hung.id, world.hoa.id], 2026)
    assert out[world.lan.id] == {4, 6}  # 7–12 are not due yet
    assert out[world.hung.id] == {1, 2, 3, 4, 5, 6}
    assert out[world.hoa.id] == {1, 2, 3, 4, 5, 6}  # nothing declared, nothing paid
    assert selectors.unpaid_months(type(world.lan).objects.filter(pk=world.lan.id), 2026) == {world.lan.id: {4, 6}}
    # exempt (50 years of party age) → never unpaid
    old = world.add(world.a1, "Đỗ Văn Cao", admitted=date(1970, 1, 1), official=date(1971, 1, 1),
                    birth_date=date(1945, 1, 1))
    declare(old, category="pension", base=5_000_000)
    assert old.id not in selectors.unpaid_months([old.id], 2026)


def test_ledger_arrears_and_advance(world, today):
    declare(world.lan)
    services.payment_record(actor=None, member=world.lan, month="2026-01", method="cash")
    services.payment_record(actor=None, member=world.lan, month="2026-05", method="cash")
    book = selectors.ledger(user=world.office, org=world.a, month=M(2026, 3))
    row = next(r for r in book.rows if r.member.id == world.lan.id)
    assert row.arrears == 60_000 and row.advance == 60_000 and row.payment is None
    assert {r.member.id for r in book.rows} == {world.lan.id, world.hung.id}


def test_remittance_up_the_tree(world, today):
    declare(world.lan)
    services.payment_record(actor=None, member=world.lan, month="2026-02", method="cash")
    shares = selectors.remittances(org=world.a2, first=M(2026, 2), last=M(2026, 2))
    assert [(s.level.code, s.received, s.retained, s.remitted) for s in shares] == [
        ("A2", 60_000, 18_000, 42_000), ("A", 42_000, 29_400, 12_600), ("ROOT", 12_600, 6_300, 6_300)]


def test_settlement_documents(world, today):
    import io

    from docx import Document
    from openpyxl import load_workbook

    from dangbo.fees import documents

    declare(world.lan)
    world.lan.full_name = "=HYPERLINK(1)"  # formula injection through a name: stays text
    world.lan.save()
    services.payment_record(actor=None, member=world.lan, month="2026-02", method="cash")
    rows = selectors.settlement(org=world.root, year=2026)
    assert sum(r["collected"] for r in rows) == 60_000
    wb = load_workbook(io.BytesIO(documents.settlement_xlsx(world.root, 2026, rows)))
    assert wb.sheetnames == ["Tổng hợp", "Theo tháng"]
    values = [c.value for row in wb["Tổng hợp"].iter_rows() for c in row if c.value is not None]
    assert "Tổng cộng" in values and 60_000 in values
    doc = Document(io.BytesIO(documents.settlement_docx(world.root, 2026, rows)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Quyết toán thu, nộp đảng phí năm 2026" in text


class LedgerSums(TestCase):
    """Property: the ledger's totals are the sum of the members' rows, and the remittance chain from
    the top organisation accounts for exactly what the members paid."""

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from(["cash", "online", "excused", None]),
                              st.integers(0, 50_000), st.integers(1, 30_000_000)), min_size=1, max_size=4))
    def test_ledger_sums(self, plan):
        from dangbo.members.services import member_create
        from dangbo.orgs.services import org_found

        top = org_found(actor=None, code="T", name="Đảng bộ T", kind="committee", parent=None, on=date(2025, 1, 1))
        mid = org_found(actor=None, code="T0", name="Đảng bộ cơ sở T0", kind="grassroots_committee", parent=top,
                        on=date(2025, 1, 1))
        cell = org_found(actor=None, code="T1", name="Chi bộ T1", kind="cell", parent=mid, on=date(2025, 1, 1))
        paid_total = 0
        for i, (method, extra, base) in enumerate(plan):
            m = member_create(actor=None, organization=cell, profile={"full_name": f"Người Số {i}", "sex": "M"},
                              admission_date=date(2010, 1, 1), official_date=date(2011, 1, 1))
            services.declaration_set(actor=None, member=m, category="insured", base=base, from_month="2026-01")
            if method:
                due = selectors.dues([m], M(2026, 3), M(2026, 3))[m.id][M(2026, 3)].due
                amount = None if method == "excused" else due + extra
                p = services.payment_record(actor=None, member=m, month="2026-03", method=method, amount=amount,
                                            reference="R1")
                paid_total += p.amount
        book = selectors.ledger(user=None, org=top, month=M(2026, 3))
        assert book.collected == sum(r.payment.amount for r in book.rows if r.payment) == paid_total
        assert book.due_total == sum(r.due.due for r in book.rows)
        shares = selectors.remittances(org=cell, first=M(2026, 3), last=M(2026, 3))
        assert shares[0].received == paid_total
        assert sum(s.retained for s in shares) + shares[-1].remitted == paid_total
        rows = selectors.settlement(org=top, year=2026)
        assert sum(r["collected"] for r in rows) == paid_total
        assert sum(r["retained"] + r["remitted"] for r in rows) == paid_total


def test_due_totals_agree_with_each_members_months(world, today):
    """The settlement's fast sums (stretches of months) equal the month-by-month dues."""
    declare(world.lan, 6_000_000, category="benefit")
    declare(world.lan, 9_000_000, category="insured", month="2026-04")
    declare(world.hung, None, category="other")
    old = world.add(world.a1, "Đỗ Văn Cao", admitted=date(1976, 5, 2), official=date(1977, 5, 2),
                    birth_date=date(1950, 1, 1))  # 50 years of party age in 05/2026
    declare(old, 5_000_000, category="pension")
    services.relief_record(actor=None, member=world.hung, kind="reduction", pct=70, start_month="2025-11",
                           end_month="2026-02", decision="05-QĐ/ĐU ngày 20/10/2025")
    first, last = M(2025, 7), M(2026, 12)
    totals, counts = selectors.due_totals(world.root, first, last)
    members = [world.lan, world.hung, world.hoa, old]
    expected = {}
    for m in members:
        for i, d in selectors.dues([m], first, last)[m.id].items():
            if d.due:
                expected[(m.organization_id, i)] = expected.get((m.organization_id, i), 0) + d.due
    assert totals == expected
    assert counts == {world.a1.id: 2, world.a2.id: 1, world.b.id: 1}


def test_the_meetings_warning_list_has_the_fee_ground_where_the_cell_keeps_its_ledger(world, today):
    """MTG-8 (Statute art. 8.1): not paying without reason in 3 months of a year puts a member on the
    meetings' warning list; only months whose ledger the cell kept on the platform count — a cell
    keeping its ledger on paper (A1 here, nothing recorded) must not put everybody on it."""
    from dangbo.meetings import selectors as meeting_selectors

    unpaid = world.add(world.a2, "Phạm Văn Bốn")  # Lan's cell; pays nothing
    for m in (world.lan, unpaid, world.hung):
        declare(m)
    for month in ("2026-01", "2026-02", "2026-03"):
        services.payment_record(actor=None, member=world.lan, month=month, method="cash")
    services.payment_record(actor=None, member=world.lan, month="2026-04", method="excused", reference="Ốm")
    ground = selectors.warning_ground(world.root.path, 2026)
    assert ground == {unpaid.id: {"2026-01", "2026-02", "2026-03", "2026-04"}}  # Hùng's cell keeps no ledger
    rows = meeting_selectors.warning_list(user=world.secretary, year=2026)
    assert [(r.member, r.grounds) for r in rows] == [(unpaid, ("fees",))]
    body = _client(world.secretary).get("/sinh-hoat/canh-bao/", {"nam": 2026}).content.decode()
    assert "Phạm Văn Bốn" in body and "Không đóng đảng phí không có lý do" in body


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_remittances_recorded_and_reconciled(world, today):
    """A grassroots committee's month: its cells' collections, less their shares and its own, is
    what it owes the committee; a transfer recorded lowers what is outstanding; bad input is refused
    with every field named and nothing saved."""
    from dangbo.fees.models import Remittance

    declare(world.lan)  # in A2: 60.000 a month
    services.payment_record(actor=None, member=world.lan, month="2026-02", method="cash")
    book = {r["label"]: r for r in selectors.remittance_book(org=world.a, year=2026)}
    assert (book["02/2026"]["collected"], book["02/2026"]["owed"], book["02/2026"]["outstanding"]) == (
        60_000, 12_600, 12_600)  # as `selectors.remittances`: 60.000 → A2 keeps 18.000 → A keeps 29.400
    assert book["03/2026"]["owed"] == 0
    t = services.remittance_record(actor=None, org=world.a, period="2026-02", amount=10_000,
                                   transferred_on=date(2026, 3, 10), reference="UNC 0031")
    assert (t.from_org, t.to_org, t.org_path) == (world.a, world.root, world.a.path)
    r = selectors.remittance_book(org=world.a, year=2026)[1]
    assert (r["sent"], r["outstanding"], r["over"], [x.reference for x in r["transfers"]]) == (
        10_000, 2_600, 0, ["UNC 0031"])
    assert AuditEvent.objects.filter(action="fees.remittance_record").count() == 1
    with pytest.raises(InvalidInput) as e:
        services.remittance_record(actor=None, org=world.a, period="13/2026", amount=0,
                                   transferred_on=date(2099, 1, 1), reference="x\u202ey")
    assert set(e.value.errors) == {"period", "amount", "transferred_on", "reference"}
    assert Remittance.objects.count() == 1
    # the cell's own page: A2 owes A what it passed up
    assert selectors.remittance_book(org=world.a2, year=2026)[1]["owed"] == 42_000
    # a payment whose cell has since left A's subtree (it keeps the path it was recorded under) still
    # reached A: counted as collected at A, never a crash
    Payment.objects.update(organization=world.x1)
    assert selectors.remittance_book(org=world.a, year=2026)[1]["owed"] == 18_000
