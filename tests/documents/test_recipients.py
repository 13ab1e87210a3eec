"""Recipients as a list: the organisations of the tree chosen in a scoped picker plus other places
typed one a line; shown on the document, found by the search and written in the Excel export."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from dangbo.core.errors import InvalidInput
from dangbo.documents import services
from dangbo.documents.models import Document


@pytest.fixture
def office(client, world):
    client.force_login(world.office)
    return client


def _issue_form(world, **kw):
    data = {"holder": world.root.pk, "doc_type": "TB", "issuer": "", "date": "", "subject": "Thông báo lịch họp",
            "signer": "", "recipient_orgs": [world.a.pk, world.b.pk], "recipients": "Ban Tổ chức Tỉnh ủy\r\n\r\n"
            " Lưu Văn phòng "}
    data.update(kw)
    return data


def test_issued_with_organisations_and_others_shown_and_searched(office, world):
    r = office.post("/van-ban/di/cap-so/", _issue_form(world))
    doc = Document.objects.get(subject="Thông báo lịch họp")
    assert r.status_code == 302
    assert set(doc.recipient_orgs.all()) == {world.a, world.b}
    assert doc.recipients == "Ban Tổ chức Tỉnh ủy\nLưu Văn phòng" and doc.recipient_lines() == [
        "Ban Tổ chức Tỉnh ủy", "Lưu Văn phòng"]
    page = office.get(f"/van-ban/{doc.pk}/").content.decode()
    for name in ("Đảng bộ cơ sở A", "Chi bộ cơ sở B"):
        assert f'<li class="org">{name}</li>' in page
    for name in ("Ban Tổ chức Tỉnh ủy", "Lưu Văn phòng"):
        assert f"<li>{name}</li>" in page
    assert f"/van-ban/{doc.pk}/" in office.get("/van-ban/", {"q": "chi bo co so b"}).content.decode()


def test_the_picker_offers_only_the_users_scope(client, world):
    """The secretary of A is not office staff; an office user of another tree sees none of ours."""
    client.force_login(world.outsider)
    page = client.get("/van-ban/di/cap-so/").content.decode()
    assert 'name="recipient_orgs"' in page and "Đảng bộ cơ sở A" not in page and "Chi bộ cơ sở X1" in page


def test_an_organisation_outside_the_scope_is_refused_and_nothing_written(office, world):
    before = Document.objects.count()
    r = office.post("/van-ban/di/cap-so/", _issue_form(world, recipient_orgs=[world.a.pk, world.x1.pk]))
    assert r.status_code == 422 and Document.objects.count() == before
    with pytest.raises(InvalidInput) as exc:
        services.document_issue(actor=world.office, holder=world.root, doc_type="TB", subject="Thông báo",
                                recipient_orgs=[world.x1])
    assert exc.value.field == "recipient_orgs" and "Chi bộ cơ sở X1" in exc.value.message
    assert Document.objects.count() == before


def test_incoming_takes_recipients_too(world):
    doc = services.document_register(actor=world.office, holder=world.root, number_symbol="57-NQ/TW",
                                     day=date(2024, 12, 22), subject="Nghị quyết", recipient_orgs=[world.a1],
                                     recipients="Các đồng chí Ủy viên")
    assert list(doc.recipient_orgs.all()) == [world.a1] and "chi bo a1" in doc.search_text


def test_export_lists_every_recipient_in_its_cell_formula_safe(office, world):
    services.document_issue(actor=world.office, holder=world.root, doc_type="TB", subject="Thông báo",
                            day=date(2026, 1, 5), recipient_orgs=[world.b, world.a],
                            recipients="=HYPERLINK(\"http://x\")\nLưu Văn phòng")
    ws = load_workbook(BytesIO(office.get("/van-ban/xuat.xlsx", {"chieu": "outgoing"}).content)).active
    header = [c.value for c in ws[4]]
    cell = ws.cell(row=5, column=header.index("Nơi nhận") + 1)
    assert cell.value.split("\n") == ["Đảng bộ cơ sở A", "Chi bộ cơ sở B", "=HYPERLINK(\"http://x\")",
                                      "Lưu Văn phòng"]
    assert cell.data_type == "s"
