"""Appraisal pages: the member fills in only their own self-assessment, the secretary sees their
subtree, the office decides with the quota checked."""

from django.test import Client

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
