"""HTTP tests of every election page: office staff and the secretary of the congress's organisation
manage; a member and an outsider cannot see or change anything; the whole flow through the forms."""

import io
import re

import pytest
from django.test import Client
from docx import Document

from dangbo.elections import services
from dangbo.elections.models import Ballot, Election
from tests.elections.conftest import make_round

NAMES = ["Ứng Viên Một", "Ứng Viên Hai", "Ứng Viên Ba", "Ứng Viên Bốn"]


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def docx_text(content: bytes) -> str:
    d = Document(io.BytesIO(content))
    cells = [cell.text for t in d.tables for row in t.rows for cell in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_flow_through_the_forms(hall):
    office = client_for(hall.world.office)
    r = office.post(f"/dai-hoi/{hall.congress.id}/bau-cu/", {"body": "executive_committee", "seats": "3",
                                                             "candidates": "\n".join(NAMES)})
    e = Election.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/bau-cu/{e.id}/"
    assert "Ứng Viên Bốn" in office.get(r["Location"]).content.decode()
    office.post(f"/bau-cu/{e.id}/co-so/", {"absent_with_reason": "1"})
    e.refresh_from_db()
    assert e.base == 6
    office.post(f"/bau-cu/{e.id}/bat-dau/")
    office.post(f"/bau-cu/{e.id}/niem-phong/", {"issued": "6", "returned": "6"})
    e.refresh_from_db()
    assert e.status == "counting"
    tellers = [client_for(u) for u in hall.tellers]  # the counting committee, each by their own login
    page = tellers[0].get(f"/bau-cu/{e.id}/nhap-phieu-1/").content.decode()
    assert 'name="ballot_no"' in page and 'value="1"' in page
    assert 'name="ballot_no"' not in office.get(f"/bau-cu/{e.id}/nhap-phieu-1/").content.decode()  # supervises
    for teller in (1, 2):
        for no in range(1, 7):
            kept = {"kept_text": "1 2"} if no != 6 or teller == 1 else {"kept_text": "1", "kept": ["3"]}
            r = tellers[teller - 1].post(f"/bau-cu/{e.id}/nhap-phieu-{teller}/", {"ballot_no": str(no), **kept})
            assert r.status_code == 302
    b6 = Ballot.objects.get(election=e, ballot_no=6)
    assert b6.status == "mismatch"
    desk = office.get(f"/bau-cu/{e.id}/ban-kiem-phieu/").content.decode()
    assert "Phiếu số 6" in desk and "Tổ viên 2" in desk and 'name="reason"' not in desk  # read-only
    assert "disabled" in office.get(f"/bau-cu/{e.id}/").content.decode()
    tellers[2].post(f"/bau-cu/{e.id}/ban-kiem-phieu/", {"ballot": b6.id, "action": "resolve", "kept": ["1", "2"],
                                                       "reason": "Đọc lại phiếu giấy"})
    office.post(f"/bau-cu/{e.id}/kiem-phieu/")
    e.refresh_from_db()
    assert e.status == "closed" and e.result["elected"] == [1, 2] and e.result["unfilled"] == 1
    page = office.get(f"/bau-cu/{e.id}/").content.decode()
    assert "Trúng cử (1)" in page and "Tạo lần bầu tiếp" in page
    r = office.post(f"/bau-cu/{e.id}/lan-tiep/")
    nxt = Election.objects.get(previous=e)
    assert r["Location"] == f"/bau-cu/{nxt.id}/" and nxt.seats == 1 and not nxt.is_runoff
    assert [c.full_name for c in nxt.candidates.all()] == NAMES[2:]


def test_documents_and_export(closed, tmp_path):
    office = client_for(_office(closed))
    r = office.get(f"/bau-cu/{closed.id}/bien-ban.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(r.content)
    assert closed.fingerprint[:8] in text and "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Số: 02" in text  # the ballot paper took 01 of the congress's series (CON-10)
    assert "Cơ sở tính kết quả bầu cử: 7" in text and "71,43%" in text  # 5/7 of the base
    paper = docx_text(office.get(f"/bau-cu/{closed.id}/phieu-bau.docx").content)
    assert paper.index("Ứng Viên Một") < paper.index("Ứng Viên Bốn") and "Số: 01" in paper
    export = office.get(f"/bau-cu/{closed.id}/phieu.csv").content.decode()
    assert export.splitlines()[0] == "ballot_no,kept,flags,hash" and len(export.splitlines()) == 8
    cands = office.get(f"/bau-cu/{closed.id}/ung-vien.csv").content.decode()
    assert cands.splitlines()[1] == "1,Ứng Viên Một"


def _office(election):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="office")


PAGES = ["/bau-cu/{id}/", "/bau-cu/{id}/nhap-phieu-1/", "/bau-cu/{id}/nhap-phieu-2/", "/bau-cu/{id}/ban-kiem-phieu/",
         "/bau-cu/{id}/trinh-chieu/", "/bau-cu/{id}/phieu-bau.docx", "/bau-cu/{id}/bien-ban.docx",
         "/bau-cu/{id}/phieu.csv", "/bau-cu/{id}/ung-vien.csv"]
POSTS = ["danh-sach", "co-so", "bat-dau", "niem-phong", "nhap-phieu-1", "ban-kiem-phieu", "kiem-phieu",
         "khieu-nai", "lan-tiep"]


def test_every_page_opens_for_office_and_secretary(closed, hall):
    for user in (hall.world.office, hall.world.secretary):
        c = client_for(user)
        for page in PAGES:
            r = c.get(page.format(id=closed.id))
            assert r.status_code == 200, (user, page, r.status_code)
        listing = c.get("/bau-cu/").content.decode()
        assert closed.title in listing and f"/dai-hoi/{hall.congress.id}/bau-cu/" in listing
        assert c.get(f"/dai-hoi/{hall.congress.id}/bau-cu/").status_code == 200
    projector = client_for(hall.world.office).get(f"/bau-cu/{closed.id}/trinh-chieu/", HTTP_HX_REQUEST="true")
    assert b"<html" not in projector.content and "Trúng cử" in projector.content.decode()


@pytest.mark.parametrize("who", ["member_user", "outsider"])
def test_members_and_outsiders_cannot(closed, hall, who):
    c = client_for(getattr(hall.world, who))
    for page in PAGES:
        assert c.get(page.format(id=closed.id)).status_code == 404
    for action in POSTS:
        assert c.post(f"/bau-cu/{closed.id}/{action}/", {"complaints": "x"}).status_code == 404
    assert c.post(f"/dai-hoi/{hall.congress.id}/bau-cu/", {"body": "secretary", "seats": "1"}).status_code == 404
    assert c.get("/bau-cu/").status_code == 403 if who == "member_user" else closed.title not in c.get("/bau-cu/").content.decode()
    closed.refresh_from_db()
    assert closed.complaints == ""


def test_secretary_of_another_organisation_cannot_manage(world):
    from datetime import date

    from dangbo.accounts.services import account_create
    from dangbo.congress.services import congress_create

    congress = congress_create(actor=None, organization=world.b, kind="members", term="2025–2030",
                               name="Đại hội Chi bộ B", start_date=date(2025, 6, 10))
    e = services.election_create(actor=None, congress=congress, body="secretary", seats=1, candidates=["Ứng Viên"])
    other = account_create(actor=None, username="bithu-a1", password="x-2025-y", role="secretary", organization=world.a1)
    c = client_for(other)
    assert c.get(f"/bau-cu/{e.id}/").status_code == 404
    assert client_for(world.secretary).post(f"/bau-cu/{e.id}/bat-dau/").status_code == 404
    r = client_for(world.office).post(f"/bau-cu/{e.id}/co-so/", {})  # allowed; refused by the rule, not the scope
    assert r.status_code == 422 and "Cơ sở tính kết quả phải lớn hơn 0" in r.content.decode()


def test_bad_input_shows_a_message_and_saves_nothing(hall):
    e = make_round(hall.congress, NAMES, 3)
    office = client_for(hall.tellers[0])
    r = office.post(f"/bau-cu/{e.id}/nhap-phieu-1/", {"ballot_no": "1", "kept_text": "1 x"}, follow=True)
    assert "Chỉ nhập phiếu khi đang kiểm phiếu" in r.content.decode() or "không thể" in r.content.decode().lower()
    services.election_count_start(actor=None, election=e, issued=7, returned=7)
    r = office.post(f"/bau-cu/{e.id}/nhap-phieu-1/", {"ballot_no": "1", "kept_text": "1 x"}, follow=True)
    assert "«x» không phải số thứ tự" in r.content.decode()
    r = office.post(f"/bau-cu/{e.id}/nhap-phieu-1/", {"ballot_no": "1", "kept_text": "1 9"}, follow=True)
    assert "Không có ứng cử viên số 9" in r.content.decode()
    assert not Ballot.objects.filter(election=e).exists()


def test_agree_form_entry_and_contested_ruling_through_the_pages(hall):
    e = make_round(hall.congress, ["Ứng Viên Một"], 1, body="secretary")
    e = services.election_count_start(actor=None, election=e, issued=7, returned=3)
    office = client_for(hall.world.office)
    tellers = [client_for(u) for u in hall.tellers]
    page = tellers[1].get(f"/bau-cu/{e.id}/nhap-phieu-2/").content.decode()
    assert 'name="mark_1" value="agree"' in page and 'name="kept_text"' not in page
    for teller in (1, 2):
        t = tellers[teller - 1]
        t.post(f"/bau-cu/{e.id}/nhap-phieu-{teller}/", {"ballot_no": "1", "mark_1": "agree"})
        t.post(f"/bau-cu/{e.id}/nhap-phieu-{teller}/", {"ballot_no": "2", "mark_1": "disagree"})
        t.post(f"/bau-cu/{e.id}/nhap-phieu-{teller}/", {"ballot_no": "3", "mark_1": "agree", "contested": "on"})
    b3 = Ballot.objects.get(election=e, ballot_no=3)
    assert b3.status == "contested"
    desk = tellers[2].get(f"/bau-cu/{e.id}/ban-kiem-phieu/").content.decode()
    assert "Phiếu số 3" in desk and 'name="verdict"' in desk
    r = tellers[2].post(f"/bau-cu/{e.id}/ban-kiem-phieu/", {"ballot": b3.id, "action": "rule", "reason": "x"},
                        follow=True)
    assert "Chọn «Hợp lệ» hoặc «Không hợp lệ»" in r.content.decode()
    tellers[2].post(f"/bau-cu/{e.id}/ban-kiem-phieu/", {"ballot": b3.id, "action": "rule", "verdict": "invalid",
                                                       "invalid_flag": "mark", "reason": "Có ký tên"})
    office.post(f"/bau-cu/{e.id}/kiem-phieu/")
    e.refresh_from_db()
    assert e.status == "closed" and e.result["valid"] == 2 and e.result["invalid_reasons"] == {"mark": 1}
    assert e.result["candidates"][0]["votes"] == 1 and e.result["disagree"] == {"1": 1}
    assert e.result["elected"] == []  # 1 agree of base 7: threshold 4
    minutes = docx_text(office.get(f"/bau-cu/{e.id}/bien-ban.docx").content)
    assert "Không đồng ý" in minutes and "Phiếu số 3: quyết định: không hợp lệ — Có ký tên" in minutes
    paper = docx_text(office.get(f"/bau-cu/{e.id}/phieu-bau.docx").content)
    assert "Đồng ý" in paper and "Không đồng ý" in paper


def test_forms_show_every_problem_beside_its_field_and_keep_what_was_typed(hall):
    """Elections pages read Django forms: a refused POST comes back 422 with each problem next to its
    field, all at once, and the typed values still in the boxes (nothing saved)."""
    office = client_for(hall.world.office)
    r = office.post(f"/dai-hoi/{hall.congress.id}/bau-cu/", {"body": "nothing", "seats": "0",
                                                             "candidates": "Ứng Viên Một\nỨng Viên Hai"})
    body = r.content.decode()
    assert r.status_code == 422 and not Election.objects.exists()
    assert "«Số lượng cần bầu» phải là số nguyên dương." in body and "Trường «Bầu»: lựa chọn không hợp lệ." in body
    assert "Ứng Viên Một\nỨng Viên Hai</textarea>" in body
    e = make_round(hall.congress, NAMES, 3)
    r = office.post(f"/bau-cu/{e.id}/niem-phong/", {"issued": "", "returned": "-1"})
    body = r.content.decode()
    assert r.status_code == 422 and "Trường «Số phiếu phát ra» là bắt buộc." in body
    assert "«Số phiếu thu vào» phải là số nguyên không âm." in body
    e.refresh_from_db()
    assert e.status == "voting" and e.issued is None
    services.election_count_start(actor=None, election=e, issued=7, returned=7)
    teller = client_for(hall.tellers[0])
    r = teller.post(f"/bau-cu/{e.id}/nhap-phieu-1/", {"ballot_no": "", "kept_text": "1 x", "kept": ["2"]})
    body = r.content.decode()
    assert r.status_code == 422 and "Trường «Số phiếu» là bắt buộc." in body and "«x» không phải số thứ tự" in body
    assert 'value="1 x"' in body and re.search(r'name="kept" value="2"[^>]*checked', body)
    r = teller.post(f"/bau-cu/{e.id}/nhap-phieu-1/", {"ballot_no": "1", "kept_text": "1 9"})
    assert r.status_code == 422 and "Không có ứng cử viên số 9" in r.content.decode() and 'value="1 9"' in r.content.decode()
    assert not Ballot.objects.filter(election=e).exists()
