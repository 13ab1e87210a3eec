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
    assert "60.000 đ — Tiền mặt tại chi bộ" in body and "VNEID-9" in body


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
