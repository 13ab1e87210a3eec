"""Fee pages through HTTP: the secretary's ledger records the month, the member sees only their own
page (amount in full), a secretary sees the declared amount masked, the dashboard and downloads."""

from datetime import date

import pytest
from django.test import Client

from dangbo.fees import rules, selectors, services
from dangbo.fees.models import Declaration, Payment


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(selectors, "this_month", lambda today=None: rules.month_index(2026, 6))


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def declare(m, base=6_000_000):
    services.declaration_set(actor=None, member=m, category="insured", base=base, from_month="2025-01")


def test_secretary_records_the_month(world, today):
    declare(world.lan)
    declare(world.hung)
    c = client_for(world.secretary)
    r = c.get(f"/dang-phi/so/{world.a.id}/?thang=03/2026")
    assert r.status_code == 200 and "Sổ thu đảng phí tháng 03/2026" in r.content.decode()
    r = c.post(f"/dang-phi/so/{world.a.id}/", {"thang": "03/2026", f"cach_{world.lan.id}": "cash",
                                               f"cach_{world.hung.id}": "online", f"ma_{world.hung.id}": "VNEID-9"})
    assert r.status_code == 302
    got = {p.member_id: (p.method, p.amount, p.reference) for p in Payment.objects.all()}
    assert got == {world.lan.id: ("cash", 60_000, ""), world.hung.id: ("online", 60_000, "VNEID-9")}
    body = c.get(r["Location"]).content.decode()
    assert "Tiền mặt tại chi bộ — biên lai số 1" in body and "VNEID-9" in body


def test_a_bad_row_saves_nothing_and_says_who(world, today):
    declare(world.lan)
    declare(world.hung)
    c = client_for(world.secretary)
    r = c.post(f"/dang-phi/so/{world.a.id}/", {"thang": "03/2026", f"cach_{world.lan.id}": "cash",
                                               f"cach_{world.hung.id}": "online"})
    assert r.status_code == 422 and "Nguyễn Văn Hùng: nộp trực tuyến cần mã giao dịch" in r.content.decode()
    assert Payment.objects.count() == 0


def test_member_reads_only_their_own(world, today):
    declare(world.lan, 6_543_000)
    c = client_for(world.member_user)
    assert c.get("/dang-phi/")["Location"] == f"/dang-phi/dang-vien/{world.lan.id}/"
    body = c.get(f"/dang-phi/dang-vien/{world.lan.id}/?nam=2026").content.decode()
    assert "Đảng phí của tôi" in body and "6.543.000 đ/tháng" in body and "65.430" in body
    assert c.get(f"/dang-phi/dang-vien/{world.hung.id}/").status_code == 404
    assert c.get(f"/dang-phi/so/{world.a2.id}/").status_code == 404
    # she may declare her own income (FEE-1), not record payments or reliefs
    r = c.post(f"/dang-phi/dang-vien/{world.lan.id}/", {"form": "khai", "category": "insured", "base": "7.000.000",
                                                         "from_month": "07/2026"})
    assert r.status_code == 302 and Declaration.objects.filter(member=world.lan, base=7_000_000).exists()
    r = c.post(f"/dang-phi/dang-vien/{world.lan.id}/", {"form": "mien", "kind": "hardship", "start_month": "07/2026",
                                                         "end_month": "08/2026", "decision": "x"})
    assert r.status_code == 403


def test_secretary_sees_the_amount_masked(world, today):
    declare(world.lan, 6_543_000)
    body = client_for(world.secretary).get(f"/dang-phi/dang-vien/{world.lan.id}/").content.decode()
    assert "6.543.000" not in body and "•••" in body
    body = client_for(world.office).get(f"/dang-phi/dang-vien/{world.lan.id}/").content.decode()
    assert "6.543.000" in body


def test_declaration_form_errors_beside_fields(world, today):
    c = client_for(world.secretary)
    r = c.post(f"/dang-phi/dang-vien/{world.lan.id}/", {"form": "khai", "category": "insured", "base": "",
                                                         "from_month": "13/2026"})
    body = r.content.decode()
    assert r.status_code == 422 and "Ghi số tiền làm căn cứ" in body and "không phải tháng hợp lệ" in body
    assert Declaration.objects.count() == 0
    r = c.post(f"/dang-phi/dang-vien/{world.lan.id}/", {"form": "mien", "kind": "reduction", "pct": "30",
                                                         "start_month": "01/2026", "end_month": "03/2027",
                                                         "decision": "05-QĐ/ĐU"})
    assert r.status_code == 422 and "không quá 12 tháng" in r.content.decode()


def test_dashboard_and_downloads(world, today):
    declare(world.lan)
    services.payment_record(actor=None, member=world.lan, month="2026-03", method="cash", paid_on=date(2026, 3, 5))
    c = client_for(world.office)
    body = c.get("/dang-phi/?thang=03/2026").content.decode()
    assert "Đảng bộ cơ sở A" in body and "fee-bars" in body and "width:50.0%" in body and "50,0" in body  # 1 of A's 2 members paid
    r = c.get(f"/dang-phi/quyet-toan/{world.root.id}.xlsx?nam=2026")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = c.get(f"/dang-phi/quyet-toan/{world.root.id}.docx?nam=2026")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    p = Payment.objects.get()
    assert "Biên lai thu đảng phí số 1/2026" in c.get(f"/dang-phi/bien-lai/{p.id}/").content.decode()
    r = c.post(f"/dang-phi/bien-lai/{p.id}/huy/")
    assert r.status_code == 302 and Payment.objects.count() == 0


def test_a_long_ledger_is_paged(world, today):
    for i in range(55):
        world.add(world.a1, f"Người Thứ {i}")
    body = client_for(world.secretary).get(f"/dang-phi/so/{world.a.id}/?thang=03/2026").content.decode()
    assert "57 đảng viên, trang 1/2" in body and body.count('<tr id="m') == 50
    body = client_for(world.secretary).get(f"/dang-phi/so/{world.a.id}/?thang=03/2026&trang=2").content.decode()
    assert body.count('<tr id="m') == 7


def test_a_secretary_sees_no_amount_that_gives_the_base_away(world, today):
    """Item 2: under 01-QĐ/TW a due is 1 % of the declared salary, so a secretary's pages show a due
    only where collecting it (the ledger's row still to collect); the member's month-by-month page
    and the ledger's paid rows and advances carry no amount. The member and the office see them all."""
    declare(world.lan, 6_543_000)  # 65.430 đ a month
    declare(world.hung, 8_000_000)  # the cell's totals are sums, not one member's amount
    services.payment_record(actor=None, member=world.lan, month="2026-03", method="cash", paid_on=date(2026, 3, 5))
    services.payment_record(actor=None, member=world.hung, month="2026-03", method="cash", paid_on=date(2026, 3, 5))
    services.payment_record(actor=None, member=world.lan, month="2026-05", method="cash", paid_on=date(2026, 3, 5))
    sec = client_for(world.secretary)
    page = sec.get(f"/dang-phi/dang-vien/{world.lan.id}/?nam=2026").content.decode()
    assert "65.430" not in page and "6.543.000" not in page
    assert "Tiền mặt tại chi bộ, 05/03/2026" in page  # what was paid and how, not how much
    book = sec.get(f"/dang-phi/so/{world.a.id}/?thang=03/2026").content.decode()
    assert "65.430" not in book and "biên lai số 1" in book and "1 tháng" in book  # paid row, advance
    book = sec.get(f"/dang-phi/so/{world.a.id}/?thang=04/2026").content.decode()
    assert "65.430" in book  # April is still to collect: the due is shown where collecting
    for who in (world.office, world.member_user):
        page = client_for(who).get(f"/dang-phi/dang-vien/{world.lan.id}/?nam=2026").content.decode()
        assert "65.430 đ — Tiền mặt tại chi bộ" in page
    book = client_for(world.office).get(f"/dang-phi/so/{world.a.id}/?thang=03/2026").content.decode()
    assert "65.430 đ — Tiền mặt tại chi bộ" in book


def test_remittance_page_records_a_transfer(world, today):
    from dangbo.fees.models import Remittance

    declare(world.lan)
    services.payment_record(actor=None, member=world.lan, month="2026-02", method="cash", paid_on=date(2026, 2, 5))
    c = client_for(world.secretary)
    body = c.get(f"/dang-phi/nop-cap-tren/{world.a.id}/?nam=2026").content.decode()
    assert "Nộp đảng phí lên cấp trên năm 2026" in body and "12.600" in body
    r = c.post(f"/dang-phi/nop-cap-tren/{world.a.id}/", {"period": "02/2026", "amount": "abc",
                                                          "transferred_on": "32/03/2026", "reference": ""})
    assert r.status_code == 422 and Remittance.objects.count() == 0
    body = r.content.decode()
    assert "không phải số đồng" in body and "abc" in body  # the form keeps what was typed
    r = c.post(f"/dang-phi/nop-cap-tren/{world.a.id}/", {"period": "02/2026", "amount": "12.600",
                                                          "transferred_on": "10/03/2026", "reference": "UNC 0031"})
    assert r.status_code == 302
    body = c.get(r["Location"]).content.decode()
    assert "10/03/2026: 12.600 đ — UNC 0031" in body
    # a member may not see it; a secretary of another tree neither
    assert client_for(world.member_user).get(f"/dang-phi/nop-cap-tren/{world.a.id}/").status_code == 404


def test_receipts_as_word(world, today):
    """Item 4: one payment's receipt, and one for a member's range of months, in the house style."""
    import io

    from docx import Document

    declare(world.lan, 6_543_000)
    world.lan.full_name = "=HYPERLINK(1) Trần Thị Lan"
    world.lan.save()
    for month, ref in (("2026-02", ""), ("2026-03", "DVCQG-0042")):
        services.payment_record(actor=None, member=world.lan, month=month, method="online" if ref else "cash",
                                reference=ref, paid_on=date(2026, 3, 5))
    services.payment_record(actor=None, member=world.lan, month="2026-04", method="excused", reference="Ốm")

    def text(r):
        assert r.status_code == 200 and r["Content-Type"].endswith("wordprocessingml.document")
        doc = Document(io.BytesIO(r.content))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(cells)

    one = Payment.objects.get(month=rules.month_index(2026, 2))
    sec = client_for(world.secretary)
    body = text(sec.get(f"/dang-phi/bien-lai/{one.id}.docx"))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in body and "BIÊN LAI THU ĐẢNG PHÍ" in body and "Số 1/2026" in body
    assert "=HYPERLINK(1) Trần Thị Lan" in body and "02/2026" in body and "65.430" in body and "NGƯỜI THU" in body
    excused = Payment.objects.get(method="excused")
    assert sec.get(f"/dang-phi/bien-lai/{excused.id}.docx").status_code == 404
    url = f"/dang-phi/dang-vien/{world.lan.id}/bien-lai.docx?tu=01/2026&den=06/2026"
    body = text(client_for(world.member_user).get(url))
    assert "tháng 02/2026 đến 03/2026" in body and "DVCQG-0042" in body and "130.860" in body
    assert "Ốm" not in body  # an excused month is no payment
    assert client_for(world.office).get(url).status_code == 200
    assert sec.get(url).status_code == 403  # a year of amounts would give the base away (item 2)
    assert client_for(world.member_user).get(f"/dang-phi/dang-vien/{world.hung.id}/bien-lai.docx").status_code == 404
