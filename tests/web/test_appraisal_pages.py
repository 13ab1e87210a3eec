"""Appraisal pages: the member fills in only their own self-assessment, the secretary sees their
subtree, the office decides with the quota checked."""

from django.test import Client

from dangbo.appraisal import kept
from dangbo.appraisal.models import DECIDED, PROPOSED, SELF_ASSESSED, Review
from dangbo.appraisal.services import campaign_open

FORM = {"score": "95", "tasks_done_pct": "100", "tasks_late_pct": "0", "tasks_beyond_pct": "40",
        "shortcomings_fixed": "on", "discipline": "none"}


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _setup(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    return c, {r.member_id: r for r in c.reviews.all()}


def test_member_edits_only_own_self_assessment(world):
    c, reviews = _setup(world)
    member = _client(world.member_user)
    own, other = reviews[world.lan.id], reviews[world.hung.id]
    r = member.get(f"/danh-gia/phieu/{own.id}/")
    assert r.status_code == 200 and "Lưu phiếu tự đánh giá" in r.content.decode()
    r = member.post(f"/danh-gia/phieu/{own.id}/", {**FORM, "score": "120"})
    assert r.status_code == 422 and "Điểm tự chấm" in r.content.decode()
    assert member.post(f"/danh-gia/phieu/{own.id}/", FORM).status_code == 302
    own.refresh_from_db()
    assert own.status == SELF_ASSESSED and own.score == 95
    assert member.get(f"/danh-gia/phieu/{other.id}/").status_code == 404
    assert member.post(f"/danh-gia/phieu/{other.id}/", FORM).status_code == 404
    assert member.post(f"/danh-gia/phieu/{own.id}/", {"action": "propose"}).status_code == 403
    assert member.get(f"/danh-gia/{c.id}/").status_code == 302  # straight to their own review
    # the secretary cannot fill in the member's self-assessment
    sec = _client(world.secretary)
    assert sec.post(f"/danh-gia/phieu/{other.id}/", FORM).status_code == 403


def test_secretary_sees_subtree_and_proposes(world):
    c, reviews = _setup(world)
    sec = _client(world.secretary)
    body = sec.get(f"/danh-gia/{c.id}/").content.decode()
    assert "Nguyễn Văn Hùng" in body and "Trần Thị Lan" in body
    assert "Lê Thị Hoà" not in body and "Chi bộ cơ sở B" not in body
    assert sec.get(f"/danh-gia/phieu/{reviews[world.hoa.id].id}/").status_code == 404
    _client(world.member_user).post(f"/danh-gia/phieu/{reviews[world.lan.id].id}/", FORM)
    assert sec.post(f"/danh-gia/{c.id}/de-xuat/{world.a2.id}/").status_code == 302
    assert Review.objects.get(pk=reviews[world.lan.id].id).status == PROPOSED
    assert sec.post(f"/danh-gia/{c.id}/de-xuat/{world.b.id}/").status_code == 404
    assert _client(world.outsider).get(f"/danh-gia/{c.id}/").status_code == 404


def test_office_decides_with_quota(world):
    c, reviews = _setup(world)
    lan = reviews[world.lan.id]
    _client(world.member_user).post(f"/danh-gia/phieu/{lan.id}/", FORM)
    office = _client(world.office)
    assert office.post(f"/danh-gia/phieu/{lan.id}/", {"action": "propose"}).status_code == 302
    lan.refresh_from_db()
    assert lan.proposed_grade == "excellent"
    url = f"/danh-gia/{c.id}/quyet-dinh/{world.a.id}/"
    quota = office.get(f"/danh-gia/{c.id}/ty-le/").content.decode()
    assert "Vượt tỷ lệ" in quota  # 1 excellent, 0 good: the live box warns
    r = office.post(url, {f"grade_{lan.id}": "excellent"})
    assert r.status_code == 422 and "Vượt tỷ lệ xuất sắc" in r.content.decode()
    preview = office.post(f"/danh-gia/{c.id}/ty-le/?unit={world.a.id}", {f"grade_{lan.id}": "good"})
    assert "Vượt tỷ lệ" not in preview.content.decode()
    r = office.post(url, {f"grade_{lan.id}": "good", f"reason_{lan.id}": ""})
    assert r.status_code == 422 and "lý do" in r.content.decode()
    r = office.post(url, {f"grade_{lan.id}": "good", f"reason_{lan.id}": "Theo tỷ lệ của nhóm."})
    assert r.status_code == 302
    lan.refresh_from_db()
    assert lan.status == DECIDED and lan.decided_grade == "good" and lan.override_reason
    assert _client(world.member_user).get(url).status_code in (403, 404)


# ------------------------------------------------------------------------------------------------
# Organisation grades, outputs, history (APR-5, APR-6)
# ------------------------------------------------------------------------------------------------

GOOD_FORM = {**FORM, "score": "80", "tasks_beyond_pct": "10"}


def _decided(world):
    """The 2025 campaign with every member's grade decided (Hùng and Lan good)."""
    from dangbo.appraisal.services import campaign_decide, cell_propose, review_self_assess

    c, reviews = _setup(world)
    data = {k: (float(v) if k != "discipline" and v not in ("on",) else v) for k, v in GOOD_FORM.items()}
    data["shortcomings_fixed"] = True
    for m in (world.hung, world.lan):
        review_self_assess(actor=None, review=reviews[m.id], data=data)
    for cell in (world.a1, world.a2):
        cell_propose(actor=None, campaign=c, organization=cell)
    campaign_decide(actor=None, campaign=c, unit=world.a)
    return c, reviews


def test_standing_committee_decides_the_grassroots_organisations(world):
    from dangbo.appraisal.models import OrgReview

    c, _ = _decided(world)
    office, sec = _client(world.office), _client(world.secretary)
    a = OrgReview.objects.get(campaign=c, organization=world.a)
    url = f"/danh-gia/{c.id}/to-chuc/{world.a.id}/"
    r = sec.post(url, {**GOOD_FORM, "score": "120", "action": "self"})
    assert r.status_code == 422 and "Điểm tự chấm của tập thể" in r.content.decode()
    assert sec.post(url, {**FORM, "action": "self"}).status_code == 302  # the grassroots committee itself
    assert sec.post(url, {"action": "propose"}).status_code == 302
    a.refresh_from_db()
    assert a.status == PROPOSED and a.proposed_grade == "excellent"
    decide = f"/danh-gia/{c.id}/xep-loai-to-chuc/{world.root.id}/"
    assert sec.get(decide).status_code in (403, 404)  # the standing committee decides A, not A itself
    assert _client(world.member_user).get(decide).status_code == 403
    body = office.get(decide).content.decode()
    assert "Đảng bộ cơ sở A" in body and "Vượt tỷ lệ" in body  # 1 excellent organisation, 0 good
    live = office.post(decide, {f"grade_{a.id}": "good"}, HTTP_HX_REQUEST="true")
    assert live.status_code == 200 and "Vượt tỷ lệ" not in live.content.decode()
    r = office.post(decide, {f"grade_{a.id}": "excellent"})
    assert r.status_code == 422 and "Vượt tỷ lệ tổ chức xuất sắc" in r.content.decode()
    r = office.post(decide, {f"grade_{a.id}": "good", f"reason_{a.id}": "Theo tỷ lệ tổ chức."})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == DECIDED and a.decided_grade == "good" and a.decided_by == "office"
    # the cells of A are decided by A's committee: its secretary's page
    assert sec.get(f"/danh-gia/{c.id}/xep-loai-to-chuc/{world.a.id}/").status_code == 200


def test_summary_and_word_documents(world):
    import io

    from docx import Document

    c, _ = _decided(world)
    office = _client(world.office)
    body = office.get(f"/danh-gia/{c.id}/tong-hop/").content.decode()
    assert "Đảng bộ cơ sở A" in body and "<svg" in body and "100.0%" in body
    r = office.get(f"/danh-gia/{c.id}/bao-cao.docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(r.content))
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "BÁO CÁO" in [p.text for p in doc.paragraphs] and "Đảng bộ cơ sở A" in cells and "2 (100,0%)" in cells
    doc = Document(io.BytesIO(office.get(f"/danh-gia/{c.id}/quyet-dinh.docx").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    names = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "QUYẾT ĐỊNH" in text and "Hoàn thành tốt nhiệm vụ: 2 đảng viên." in text
    assert "Nguyễn Văn Hùng" in names and "Lê Thị Hoà" in names  # Hoà: not reviewed (APR-1)
    sec_doc = Document(io.BytesIO(_client(world.secretary).get(f"/danh-gia/{c.id}/quyet-dinh.docx").content))
    assert "Lê Thị Hoà" not in [cell.text for t in sec_doc.tables for row in t.rows for cell in row.cells]
    member = _client(world.member_user)
    for path in ("tong-hop/", "bao-cao.docx", "quyet-dinh.docx"):
        assert member.get(f"/danh-gia/{c.id}/{path}").status_code == 403
    assert _client(world.outsider).get(f"/danh-gia/{c.id}/bao-cao.docx").status_code == 404


def test_member_history_page_and_commendations(world):
    c, _ = _decided(world)
    member = _client(world.member_user)
    body = member.get(f"/danh-gia/dang-vien/{world.lan.id}/").content.decode()
    assert "2025" in body and "Hoàn thành tốt nhiệm vụ" in body and "366-QĐ/TW" in body
    assert member.get(f"/danh-gia/dang-vien/{world.hung.id}/").status_code == 404
    assert "Lịch sử đánh giá" in _client(world.office).get(f"/dang-vien/{world.lan.id}/").content.decode()
    assert _client(world.office).get("/danh-gia/khen-thuong/?nam=2025").status_code == 200
    assert member.get("/danh-gia/khen-thuong/").status_code == 403


def test_host_committee_writes_the_comments_only(world):
    from datetime import date

    from dangbo.accounts.services import account_create
    from dangbo.members.services import member_event_record
    from tests.conftest import PASSWORD

    member_event_record(actor=None, member=world.lan, kind="temp_transfer_out", on=date(2025, 9, 1),
                        to_org=world.b, end_date=date(2026, 3, 1), today=date(2025, 12, 1))
    c, reviews = _setup(world)
    lan = reviews[world.lan.id]
    host = _client(account_create(actor=None, username="host", password=PASSWORD, role="secretary",
                                  organization=world.b))
    body = host.get(f"/danh-gia/phieu/{lan.id}/").content.decode()
    assert "Lưu nhận xét" in body and "Lưu phiếu tự đánh giá" not in body
    assert host.post(f"/danh-gia/phieu/{lan.id}/", {"action": "propose"}).status_code == 403
    r = host.post(f"/danh-gia/phieu/{lan.id}/", {"action": "host_comments", "host_comments": ""})
    assert r.status_code == 422
    r = host.post(f"/danh-gia/phieu/{lan.id}/", {"action": "host_comments", "host_comments": "Gương mẫu."})
    assert r.status_code == 302
    lan.refresh_from_db()
    assert lan.host_comments == "Gương mẫu." and lan.host_commented_by == "host"


def test_self_assessment_with_long_leave_counts(world):
    c, reviews = _setup(world)
    own = reviews[world.lan.id]
    member = _client(world.member_user)
    body = member.get(f"/danh-gia/phieu/{own.id}/").content.decode()
    assert "Nghỉ thai sản" in body and "Số nhiệm vụ được giao trong năm" in body
    form = {"score": "85", "discipline": "none", "maternity": "on", "leave_months": "6", "tasks_assigned": "10",
            "tasks_done_n": "5", "tasks_late_n": "0", "tasks_beyond_n": "1"}
    assert member.post(f"/danh-gia/phieu/{own.id}/", form).status_code == 302
    own.refresh_from_db()
    assert own.maternity and own.tasks_done_pct == 100 and own.tasks_beyond_pct == 20
    r = member.post(f"/danh-gia/phieu/{own.id}/", {**form, "tasks_late_n": "9"})
    assert r.status_code == 422 and "Số nhiệm vụ chậm tiến độ" in r.content.decode()


def test_quota_exception_of_25_percent_needs_the_permission_cited(world):
    """APR-4: 1 excellent over 4 good exceeds 20 % (max 0) but not 25 % (max 1) — allowed only with
    the competent level's document named, and recorded in the audit."""
    from dangbo.audit.models import AuditEvent

    extra = [world.add(world.a1, name) for name in ("Đỗ Văn An", "Vũ Văn Bình", "Hà Văn Cường", "Mai Văn Dũng")]
    c, reviews = _setup(world)
    office = _client(world.office)
    # the cell's proposals as they stand: four "good" and Lan "excellent", in one peer group
    for m in extra + [world.lan]:
        Review.objects.filter(pk=reviews[m.id].pk).update(
            status=PROPOSED, proposed_grade="excellent" if m == world.lan else "good")
    kept.rebuild(campaign_id=c.pk)  # written past the services: the APR-4 counts recomputed
    assert "Vượt tỷ lệ" in office.get(f"/danh-gia/{c.id}/ty-le/?unit={world.a.id}").content.decode()
    url = f"/danh-gia/{c.id}/quyet-dinh/{world.a.id}/"
    page = office.get(url).content.decode()
    assert 'name="exception_group"' in page
    group = Review.objects.get(pk=reviews[world.lan.id].pk).peer_group
    assert Review.objects.filter(unit=world.a, peer_group=group, proposed_grade="good").count() == 4
    r = office.post(url, {})
    assert r.status_code == 422 and "Vượt tỷ lệ xuất sắc" in r.content.decode()
    live = office.post(f"/danh-gia/{c.id}/ty-le/?unit={world.a.id}", {"exception_group": group})
    assert "Vượt tỷ lệ" not in live.content.decode()  # the live box follows the ticked exception
    r = office.post(url, {"exception_group": group})
    assert r.status_code == 422 and "văn bản cho phép" in r.content.decode()
    r = office.post(url, {"exception_group": group, "exception_basis": "Công văn 15-CV/ĐU ngày 10/12/2025"})
    assert r.status_code == 302
    assert Review.objects.get(pk=reviews[world.lan.id].pk).decided_grade == "excellent"
    ev = AuditEvent.objects.filter(action="appraisal.decide").latest("id")
    assert ev.after["exceptions"] == [group] and "15-CV" in ev.after["exception_basis"]


def test_word_documents_survive_a_stored_control_character(world):
    """A NUL stored in a name (by a path that skipped the checks, or before they existed) once made
    every decision document of the committee fail with a server error: it is left out, never fatal."""
    import io

    from django.db import connection
    from docx import Document

    from dangbo.members.models import Member

    c, _ = _decided(world)
    nul = "\x00" if connection.vendor == "sqlite" else "\x01"  # PostgreSQL itself refuses NUL in text
    Member.objects.filter(pk=world.hung.pk).update(full_name=f"Nguyễn Văn{nul} Hùng\x1b")
    office = _client(world.office)
    for path in ("quyet-dinh.docx", "bao-cao.docx"):
        r = office.get(f"/danh-gia/{c.id}/{path}")
        assert r.status_code == 200, path
    doc = Document(io.BytesIO(office.get(f"/danh-gia/{c.id}/quyet-dinh.docx").content))
    assert "Nguyễn Văn Hùng" in [cell.text for t in doc.tables for row in t.rows for cell in row.cells]


def _field_errors(body: str) -> list[str]:
    import re

    return re.findall(r'<span class="error" role="alert">(.*?)</span>', body, re.S)


def test_self_assessment_shows_every_problem_at_once_and_keeps_nothing(world):
    """Issue 10 #15: 5 tasks done of 3 assigned was accepted; a 13-month leave got the 0–100 message;
    problems showed one stage at a time. Now each is beside its field, all in one answer."""
    c, reviews = _setup(world)
    own = reviews[world.lan.id]
    member = _client(world.member_user)
    form = {"score": "85", "discipline": "none", "leave_months": "2", "tasks_assigned": "3", "tasks_done_n": "5",
            "tasks_late_n": "0", "tasks_beyond_n": "0"}
    r = member.post(f"/danh-gia/phieu/{own.id}/", form)
    body = r.content.decode()
    assert r.status_code == 422
    assert "Số nhiệm vụ đã hoàn thành» (5) không được lớn hơn «Số nhiệm vụ được giao trong năm» (3)" in body
    r = member.post(f"/danh-gia/phieu/{own.id}/", {**form, "tasks_done_n": "3", "leave_months": "13"})
    errors = _field_errors(r.content.decode())
    assert r.status_code == 422 and any("từ 0 đến 12" in e for e in errors)
    assert not any("từ 0 đến 100" in e and "nghỉ" in e for e in errors)
    # a form error (score out of range) and a check of the service (late > done) in one answer
    r = member.post(f"/danh-gia/phieu/{own.id}/", {**FORM, "score": "120", "tasks_done_pct": "80",
                                                  "tasks_late_pct": "90"})
    errors = _field_errors(r.content.decode())
    assert r.status_code == 422
    assert any("Điểm tự chấm" in e for e in errors) and any("chậm tiến độ" in e for e in errors), errors
    own.refresh_from_db()
    assert own.status != SELF_ASSESSED and own.score is None and own.tasks_assigned is None
