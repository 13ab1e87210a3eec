"""Congress pages: list, detail, check-in desk (by number and by name search), live quorum page."""

from datetime import date

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.congress import selectors, services
from dangbo.congress.models import APPOINTED
from dangbo.core.errors import InvalidInput


@pytest.fixture
def cong(world):
    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                 name="Đại hội đại biểu Đảng bộ Thử nghiệm lần thứ I", start_date=date(2025, 7, 28),
                                 end_date=date(2025, 7, 29))
    world.hung_d = services.delegate_add(actor=None, congress=c, member=world.hung, obtained=APPOINTED)
    world.lan_d = services.delegate_add(actor=None, congress=c, member=world.lan, obtained=APPOINTED)
    world.nam = world.add(world.b, "Đỗ Văn Nam")
    world.nam_d = services.delegate_add(actor=None, congress=c, member=world.nam, obtained=APPOINTED)
    return c


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_office_sees_list_detail_and_quorum(world, cong):
    c = login(world.office)
    r = c.get("/dai-hoi/")
    assert r.status_code == 200 and cong.name in r.content.decode()
    r = c.get(f"/dai-hoi/{cong.id}/")
    body = r.content.decode()
    assert r.status_code == 200 and "Nguyễn Văn Hùng" in body and "Chỉ định" in body
    assert "0</b>/3" in body and "Đại hội chưa đủ điều kiện" in body
    r = c.get(f"/dai-hoi/{cong.id}/tu-cach/")
    assert r.status_code == 200 and 'hx-trigger="every 3s"' in r.content.decode()
    r = c.get(f"/dai-hoi/{cong.id}/tu-cach/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<html" not in r.content.decode() and "Còn thiếu" in r.content.decode()
    assert 'href="/dai-hoi/"' in c.get(f"/dai-hoi/{cong.id}/").content.decode()  # the nav link


def test_check_in_by_number_updates_quorum(world, cong):
    c = login(world.office)
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "1"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and "Đã điểm danh Nguyễn Văn Hùng" in body and "1</b>/3" in body
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "001"}, HTTP_HX_REQUEST="true")
    assert "không tính lại" in r.content.decode() and "1</b>/3" in r.content.decode()
    c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "3"})
    q = selectors.quorum(cong)
    assert (q.present, q.orgs_present, q.valid) == (2, 2, True)
    r = c.get(f"/dai-hoi/{cong.id}/tu-cach/", HTTP_HX_REQUEST="true")
    assert "Đại hội hợp lệ" in r.content.decode()
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/huy/", {"delegate": world.hung_d.id}, HTTP_HX_REQUEST="true")
    assert "Đã huỷ điểm danh" in r.content.decode() and selectors.quorum(cong).present == 1


def test_check_in_errors_name_the_field(world, cong):
    c = login(world.office)
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "99"})
    assert r.status_code == 422 and "Số thẻ đại biểu" in r.content.decode()
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {})
    assert r.status_code == 422 and "Số thẻ đại biểu" in r.content.decode()
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "99"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()


def test_name_search_on_desk(world, cong):
    c = login(world.office)
    r = c.get(f"/dai-hoi/{cong.id}/diem-danh/?q=hung", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "Nguyễn Văn Hùng" in body and "Trần Thị Lan" not in body
    r = c.get(f"/dai-hoi/{cong.id}/diem-danh/?q=nguyen van")
    assert "Nguyễn Văn Hùng" in r.content.decode()
    c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"delegate": world.lan_d.id, "q": "lan"})
    assert selectors.quorum(cong).present == 1


def test_other_subtree_and_members_are_refused(world, cong):
    for user in (world.secretary, world.outsider):  # secretary of A does not cover the committee
        c = login(user)
        for url in ("/", "diem-danh/", "tu-cach/"):
            assert c.get(f"/dai-hoi/{cong.id}/{url}".replace("//", "/")).status_code == 404
        assert c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "1"}).status_code == 404
        assert cong.name not in c.get("/dai-hoi/").content.decode()
    m = login(world.member_user)
    assert m.get("/dai-hoi/").status_code == 403
    assert m.get(f"/dai-hoi/{cong.id}/").status_code == 404
    assert m.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "1"}).status_code == 404
    assert selectors.quorum(cong).present == 0
    assert Client().get("/dai-hoi/").status_code == 302


def test_secretary_runs_own_congress(world):
    c = services.congress_create(actor=None, organization=world.a, kind="members", term="2025–2030",
                                 name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 5, 10))
    services.delegate_add(actor=None, congress=c, member=world.hung)
    s = login(world.secretary)
    assert c.name in s.get("/dai-hoi/").content.decode()
    r = s.post(f"/dai-hoi/{c.id}/diem-danh/", {"number": "1"})
    assert r.status_code == 302 and selectors.quorum(c).present == 1


# --------------------------------------------------------------------------------------------------
# Set-up, delegates, allocation, credentials, cards
# --------------------------------------------------------------------------------------------------

MANAGE_PAGES = ("sua/", "chuong-trinh/", "cac-ban/", "dai-bieu/", "phan-bo/", "the-dai-bieu/", "tham-tra/",
                "tham-tra/bao-cao.docx")


def test_create_and_edit_congress(world):
    c = login(world.office)
    r = c.get("/dai-hoi/them/")
    assert r.status_code == 200 and "Đảng bộ cơ sở A" in r.content.decode()
    r = c.post("/dai-hoi/them/", {"organization": world.a.id, "kind": "delegates", "term": "2025–2030",
                                  "name": "Đại hội Đảng bộ cơ sở A lần thứ I", "start_date": "2025-05-10",
                                  "end_date": "2025-05-09"})
    assert r.status_code == 422 and "Ngày bế mạc" in r.content.decode()
    r = c.post("/dai-hoi/them/", {"organization": world.a.id, "kind": "delegates", "term": "2025–2030",
                                  "name": "Đại hội Đảng bộ cơ sở A lần thứ I", "start_date": "2025-05-10"})
    assert r.status_code == 302
    cong = selectors.Congress.objects.get(name="Đại hội Đảng bộ cơ sở A lần thứ I")
    assert r["Location"] == f"/dai-hoi/{cong.id}/" and cong.organization == world.a
    r = c.post(f"/dai-hoi/{cong.id}/sua/", {"kind": "members", "term": "2025–2030", "name": "Đại hội A",
                                            "start_date": "2025-05-10", "end_date": "2025-05-11"})
    cong.refresh_from_db()
    assert r.status_code == 302 and (cong.kind, cong.name, cong.end_date) == ("members", "Đại hội A", date(2025, 5, 11))
    # the secretary of A may create A's congress but not the committee's
    s = login(world.secretary)
    r = s.post("/dai-hoi/them/", {"organization": world.root.id, "kind": "delegates", "term": "2025–2030",
                                  "name": "X", "start_date": "2025-05-10"})
    assert r.status_code == 422 and not selectors.Congress.objects.filter(name="X").exists()
    assert login(world.member_user).get("/dai-hoi/them/").status_code == 403


def test_program_sessions_and_ordered_agenda(world, cong):
    c = login(world.office)
    url = f"/dai-hoi/{cong.id}/chuong-trinh/"
    assert c.post(url, {"action": "session_add", "s-title": "Phiên trù bị", "s-date": "2025-07-28"}).status_code == 302
    r = c.post(url, {"action": "session_add", "s-title": "Phiên chính thức", "s-date": "2025-08-30"})
    assert r.status_code == 422 and "trong thời gian đại hội" in r.content.decode()
    session = cong.sessions.get()
    for title in ("Bầu Đoàn Chủ tịch", "Thông qua chương trình", "Báo cáo thẩm tra tư cách"):
        assert c.post(url, {"action": "item_add", "i-session": session.id, "i-title": title}).status_code == 302
    third = session.items.get(title="Báo cáo thẩm tra tư cách")
    c.post(url, {"action": "up", "item": third.id})
    assert [i.title for i in session.items.order_by("order")] == [
        "Bầu Đoàn Chủ tịch", "Báo cáo thẩm tra tư cách", "Thông qua chương trình"]
    body = c.get(url).content.decode()
    assert body.index("Báo cáo thẩm tra tư cách") < body.index("Thông qua chương trình")
    r = c.post(url, {"action": "session_delete", "session": session.id})
    assert r.status_code == 422 and "còn nội dung" in r.content.decode()
    assert "Phiên trù bị" in c.get(f"/dai-hoi/{cong.id}/").content.decode()


def test_bodies_members_and_open_vote_base(world, cong):
    c = login(world.office)
    url = f"/dai-hoi/{cong.id}/cac-ban/"
    assert c.post(url, {"action": "add", "body": "presidium", "delegate": world.hung_d.id, "is_head": "on"}).status_code == 302
    r = c.post(url, {"action": "vote", "body": "presidium", "votes_for": "2", "votes_against": "0", "votes_abstain": "0"})
    assert r.status_code == 422 and "Chưa có đại biểu nào có mặt" in r.content.decode()
    for n in ("1", "2", "3"):
        services.delegate_check_in(actor=None, congress=cong, number=n)
    r = c.post(url, {"action": "vote", "body": "presidium", "votes_for": "3", "votes_against": "1", "votes_abstain": "0"})
    assert r.status_code == 422 and "lớn hơn số đại biểu có mặt (3)" in r.content.decode()
    r = c.post(url, {"action": "vote", "body": "presidium", "votes_for": "2", "votes_against": "1", "votes_abstain": "0"})
    assert r.status_code == 302
    body = cong.bodies.get(kind="presidium")
    assert (body.approved, body.vote_base, body.vote_present) == (True, 3, 3)
    r = c.post(url, {"action": "add", "body": "presidium", "delegate": world.lan_d.id})
    assert r.status_code == 422 and "đã được biểu quyết" in r.content.decode()
    page = c.get(url).content.decode()
    assert "Đã thông qua" in page and "Chủ tịch" in page
    c.post(url, {"action": "clear", "body": "presidium"})
    assert c.post(url, {"action": "add", "body": "counting", "delegate": world.lan_d.id}).status_code == 302
    r = c.post(url, {"action": "vote", "body": "counting", "votes_for": "1", "votes_against": "1", "votes_abstain": "1"})
    assert cong.bodies.get(kind="counting").approved is False  # 1 of 3 present is not more than half


def test_counting_committee_only_official_delegates(world, cong):
    alt = services.delegate_add(actor=None, congress=cong, member=world.add(world.a1, "Vũ Văn Tâm"), kind="alternate")
    c = login(world.office)
    r = c.post(f"/dai-hoi/{cong.id}/cac-ban/", {"action": "add", "body": "counting", "delegate": alt.id})
    assert r.status_code == 422 and "Ban Kiểm phiếu gồm đại biểu chính thức" in r.content.decode()
    assert c.post(f"/dai-hoi/{cong.id}/cac-ban/", {"action": "add", "body": "secretariat",
                                                   "delegate": alt.id}).status_code == 302


def test_delegates_page_search_add_and_replace(world, cong):
    c = login(world.office)
    url = f"/dai-hoi/{cong.id}/dai-bieu/"
    tam = world.add(world.a1, "Vũ Văn Tâm")
    r = c.get(url + "?q=tam", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "Vũ Văn Tâm" in body and "<html" not in body
    assert "Phạm Văn Hùng" not in c.get(url + "?q=hung").content.decode()  # another tree
    assert "đã là đại biểu" in c.get(url + "?q=hung").content.decode()
    r = c.post(url, {"action": "add", "member": tam.id, "kind": "alternate", "obtained": "elected"})
    assert r.status_code == 302
    alt = cong.delegates.get(member=tam)
    assert (alt.kind, alt.from_org, alt.number) == ("alternate", world.a, 4)
    r = c.post(url, {"action": "add", "member": world.stranger.id, "kind": "official", "obtained": "elected"})
    assert r.status_code == 404  # outside the user's scope
    # an alternate of delegation A replaces Nam (delegation B): refused; replaces Hùng (A): counted
    r = c.post(url, {"action": "replace", "absent": world.nam_d.id, "alternate": alt.id})
    assert r.status_code == 422 and "cùng đoàn" in r.content.decode()
    assert c.post(url, {"action": "replace", "absent": world.hung_d.id, "alternate": alt.id}).status_code == 302
    services.delegate_check_in(actor=None, congress=cong, number="4")
    q = selectors.quorum(cong)
    assert (q.summoned, q.present, q.orgs_present) == (3, 1, 1)
    with pytest.raises(InvalidInput, match="Vũ Văn Tâm"):  # the replaced delegate's seat is Tâm's
        services.delegate_check_in(actor=None, congress=cong, number="1")
    assert selectors.quorum(cong).present == 1
    assert "thay bởi Vũ Văn Tâm" in c.get(url).content.decode()
    assert c.post(url, {"action": "remove", "delegate": world.nam_d.id}).status_code == 302
    r = c.post(url, {"action": "remove", "delegate": alt.id})
    assert r.status_code == 422 and "đã điểm danh" in r.content.decode()  # Tâm checked in, sitting for Hùng
    assert list(cong.delegates.values_list("number", flat=True)) == [1, 2, 4]


def test_allocation_page_from_registry_counts(world, cong):
    for i in range(5):
        world.add(world.a1, f"Đinh Văn Số{i}")
    c = login(world.office)
    url = f"/dai-hoi/{cong.id}/phan-bo/"
    r = c.get(url)
    assert r.status_code == 200 and "Đảng bộ cơ sở A" in r.content.decode() and "Chi bộ cơ sở B" in r.content.decode()
    data = {"seats": "12", "ex_officio": "2", "base_per_org": "1", f"bonus_{world.a.id}": "0",
            f"bonus_{world.b.id}": "1"}
    r = c.post(url, {**data, "action": "preview"})
    assert r.status_code == 200 and not cong.allocation.exists()
    assert c.post(url, {**data, "action": "save"}).status_code == 302
    seats = {row.organization_id: row.seats for row in cong.allocation.all()}
    # A: 7 members, B: 2 (incl. the probationary) → 10 − 2 fixed − 1 bonus = 7 shared 7:2 → 5.44, 1.56 → 5, 2
    assert seats == {world.a.id: 1 + 5, world.b.id: 1 + 1 + 2} and sum(seats.values()) == 12 - 2
    r = c.post(url, {**data, "seats": "301", "action": "save"})
    assert r.status_code == 422 and "không quá 300" in r.content.decode()


def test_credentials_refusal_needs_allowed_ground_and_report(world, cong):
    c = login(world.office)
    url = f"/dai-hoi/{cong.id}/tham-tra/"
    r = c.post(url, {"action": "decide", "delegate": world.nam_d.id, "decision": "refuse", "ground": ""})
    assert r.status_code == 422 and "phải nêu một căn cứ" in r.content.decode()
    r = c.post(url, {"action": "decide", "delegate": world.nam_d.id, "decision": "refuse", "ground": "late"})
    assert r.status_code == 422
    r = c.post(url, {"action": "decide", "delegate": world.nam_d.id, "decision": "refuse", "ground": "prosecuted"})
    assert r.status_code == 302
    world.nam_d.refresh_from_db()
    assert (world.nam_d.credential, world.nam_d.credential_by, world.nam_d.credential_ground) == (
        "refused", world.office, "prosecuted")
    assert c.post(url, {"action": "accept_pending"}).status_code == 302
    body = c.get(url).content.decode()
    assert "Đang bị khởi tố" in body and "Công nhận: <b>2</b>" in body and "Dân tộc Kinh" in body
    r = c.get(url + "bao-cao.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(r.content)).paragraphs)
    # a download before the number is issued is the draft, and takes no number (GETs never write)
    assert "DỰ THẢO" in text and "chưa cấp số" in text and "Đỗ Văn Nam" in text and "Đang bị khởi tố" in text
    assert not cong.documents.exists() and "du-thao" in r["Content-Disposition"]
    assert "Cấp số văn bản" in c.get(url).content.decode()
    assert c.post(url, {"action": "issue_number"}).status_code == 302
    doc = cong.documents.get()
    assert doc.kind == "credentials_report" and doc.number == 1
    assert AuditEvent.objects.filter(action="congress.document_issue", object_id=str(doc.pk)).exists()
    text = "\n".join(p.text for p in Document(BytesIO(c.get(url + "bao-cao.docx").content)).paragraphs)
    assert "Số 01-BC/ĐH" in text and "DỰ THẢO" not in text
    page = c.get(url).content.decode()
    assert "mang số <b>01-BC/ĐH</b>" in page and "Cấp số văn bản" not in page
    c.post(url, {"action": "issue_number"})
    c.get(url + "bao-cao.docx")
    assert cong.documents.count() == 1  # issuing or printing again keeps the number (CON-10)


def test_cards_carry_qr_code_the_desk_accepts(world, cong):
    c = login(world.office)
    r = c.get(f"/dai-hoi/{cong.id}/the-dai-bieu/")
    body = r.content.decode()
    code = f"DH{cong.id}-002"
    assert r.status_code == 200 and body.count("<svg") == 3 and code in body and "@media print" in body
    import segno

    assert segno.make(code, error="m").svg_inline(scale=3, border=2, dark="#000") in body  # the QR holds the code
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": code}, HTTP_HX_REQUEST="true")
    assert "Đã điểm danh Trần Thị Lan" in r.content.decode()
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": f"DH{cong.id + 1}-001"}, HTTP_HX_REQUEST="true")
    assert "đại hội khác" in r.content.decode() and selectors.quorum(cong).present == 1


def test_manage_pages_are_closed_to_members_and_outsiders(world, cong):
    for user, status in ((world.secretary, 404), (world.outsider, 404), (world.member_user, 404)):
        c = login(user)
        for page in MANAGE_PAGES:
            assert c.get(f"/dai-hoi/{cong.id}/{page}").status_code == status, (user, page)
        assert c.post(f"/dai-hoi/{cong.id}/dai-bieu/", {"action": "add", "member": world.hoa.id,
                                                        "kind": "official", "obtained": "elected"}).status_code == status
    assert not cong.delegates.filter(member=world.hoa).exists()
    anon = Client()
    assert all(anon.get(f"/dai-hoi/{cong.id}/{p}").status_code == 302 for p in MANAGE_PAGES)


def test_secretary_manages_own_congress_pages(world):
    cong = services.congress_create(actor=None, organization=world.a, kind="members", term="2025–2030",
                                    name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 5, 10))
    services.delegate_add(actor=None, congress=cong, member=world.hung)
    s = login(world.secretary)
    for page in MANAGE_PAGES:
        assert s.get(f"/dai-hoi/{cong.id}/{page}").status_code == 200, page
