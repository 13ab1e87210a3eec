"""The register's pages through HTTP: office staff register and issue, secretaries read their
subtree's registers only, members have none; search with or without diacritics, paged and counted;
the attached file only within scope; the Excel export formula-safe."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from dangbo.documents import services
from dangbo.documents.models import Document


@pytest.fixture
def office(client, world):
    client.force_login(world.office)
    return client


def _post_incoming(client, world, **kw):
    data = {"holder": world.root.pk, "number_symbol": "05-kh/tu", "date": "03/02/2026", "received_on": "",
            "sender": "Tỉnh ủy", "subject": "Kế hoạch tổ chức đại hội", "signer": "", "recipients": ""}
    data.update(kw)
    return client.post("/van-ban/den/moi/", data)


def test_office_registers_an_incoming_document_with_its_file(office, world):
    f = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach", content_type="application/pdf")
    r = _post_incoming(office, world, file=f)
    doc = Document.objects.get(number_symbol="05-KH/TU")
    assert r.status_code == 302 and r["Location"] == f"/van-ban/{doc.pk}/"
    page = office.get(r["Location"]).content.decode()
    assert "Kế hoạch tổ chức đại hội" in page and "03/02/2026" in page and "ke-hoach.pdf" in page
    got = office.get(f"/van-ban/{doc.pk}/tep/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 ke hoach"
    assert "attachment" in got["Content-Disposition"]


def test_a_refused_form_keeps_what_was_typed_and_names_every_field(office, world):
    n = Document.objects.count()
    r = _post_incoming(office, world, number_symbol="05 KH TU", date="31/02/2026", subject="Giữ lại chữ này")
    page = r.content.decode()
    assert r.status_code == 422 and Document.objects.count() == n
    assert "không đúng dạng số, ký hiệu" in page and "Giữ lại chữ này" in page and "05 KH TU" in page


def test_office_issues_outgoing_numbers_in_order(office, world):
    for expected in ("01-TB/ĐU", "02-TB/ĐU"):
        r = office.post("/van-ban/di/cap-so/", {"holder": world.root.pk, "doc_type": "TB", "issuer": "", "date": "",
                                                "subject": "Thông báo lịch sinh hoạt", "signer": "", "recipients": ""})
        assert r.status_code == 302
        assert expected in office.get(r["Location"]).content.decode()
    page = office.get("/van-ban/di/cap-so/").content.decode()
    assert "Số đã cấp gần nhất" in page and "TB/ĐU" in page


def test_secretary_reads_only_their_subtree_and_cannot_write(client, world):
    services.document_issue(actor=None, holder=world.a, doc_type="QĐ", subject="Của đảng bộ cơ sở A")
    services.document_issue(actor=None, holder=world.b, doc_type="QĐ", subject="Của chi bộ cơ sở B")
    client.force_login(world.secretary)
    page = client.get("/van-ban/").content.decode()
    assert "Của đảng bộ cơ sở A" in page and "Của chi bộ cơ sở B" not in page and "10-QĐ/TU" not in page
    assert "Cấp số văn bản đi" not in page
    assert client.get("/van-ban/di/cap-so/").status_code == 403
    r = client.post("/van-ban/den/moi/", {"holder": world.a.pk, "number_symbol": "01-TB/TU", "date": "01/02/2026",
                                          "subject": "x"})
    assert r.status_code == 403 and not Document.objects.filter(number_symbol="01-TB/TU").exists()
    b_doc = Document.objects.get(organization=world.b)
    assert client.get(f"/van-ban/{b_doc.pk}/").status_code == 404
    assert client.get(f"/van-ban/{b_doc.pk}/tep/").status_code == 404


def test_member_has_no_register(client, world):
    client.force_login(world.member_user)
    assert client.get("/van-ban/").status_code == 403
    assert client.get("/van-ban/xuat.xlsx").status_code == 403


@pytest.mark.parametrize("q", ["thanh lap", "THÀNH LẬP", "10-QĐ/TU", "10-qd/tu", "10-qd", "thử nghiệm"])
def test_search_with_or_without_diacritics_and_by_number_symbol(office, world, q):
    services.document_issue(actor=None, holder=world.a, doc_type="QĐ", subject="Điều động cán bộ")
    page = office.get("/van-ban/", {"q": q}).content.decode()
    assert "1 văn bản" in page and "Quyết định thành lập Đảng bộ Thử nghiệm" in page
    assert "Điều động cán bộ" not in page


def test_pages_of_fifty_with_the_count(office, world):
    for i in range(55):
        services.document_issue(actor=None, holder=world.a, doc_type="TB", subject=f"Thông báo số {i}")
    first = office.get("/van-ban/", {"q": "thong bao"}).content.decode()
    assert "55 văn bản" in first and "trang 1/2" in first and first.count('class="symbol"') == 50
    second = office.get("/van-ban/", {"q": "thong bao", "page": "2"}).content.decode()
    assert second.count('class="symbol"') == 5
    live = office.get("/van-ban/", {"q": "thong bao"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in live and "55 văn bản" in live


def test_export_is_formula_safe_and_dated(office, world):
    services.document_issue(actor=None, holder=world.a, doc_type="BC", subject="=HYPERLINK(\"http://x\")",
                            day=date(2026, 1, 5))
    r = office.get("/van-ban/xuat.xlsx", {"chieu": "outgoing"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('"so-van-ban.xlsx"')
    ws = load_workbook(BytesIO(r.content)).active
    assert "ĐẢNG BỘ THỬ NGHIỆM" in ws["A1"].value and ws.freeze_panes == "A5"
    row = [c for c in ws[5]]
    assert row[2].value == "01-BC/ĐU" and row[3].value.date() == date(2026, 1, 5)
    assert row[6].value.startswith("=HYPERLINK") and row[6].data_type == "s" and row[6].quotePrefix
    assert ws.max_row == 5  # only the outgoing one: the filter holds


def test_an_empty_post_answers_the_blank_form(office):
    r = office.post("/van-ban/den/moi/")
    assert r.status_code == 200 and "Vào sổ" in r.content.decode()
