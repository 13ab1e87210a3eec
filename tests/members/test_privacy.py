"""Duplicates without an oracle, masked sensitive data with audited reveals, text characters refused."""

import json
from datetime import date

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.audit.selectors import audit_list
from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member, MemberEvent
from dangbo.members.services import member_create, member_event_record, member_update

D = date


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _patch(client, member, data):
    return client.patch(f"/api/members/{member.id}", data=json.dumps(data), content_type="application/json")


# -- the cross-scope oracle -----------------------------------------------------------------------


def test_secretary_does_not_learn_that_an_id_outside_their_scope_is_a_member(world):
    # Hoà (cell B) is outside the secretary's scope (grassroots committee A); give her an ID
    member_update(actor=None, member=world.hoa, profile={"national_id": "001190000777"})
    before = Member.objects.get(pk=world.hung.pk).national_id
    r = _patch(_client(world.secretary), world.hung, {"national_id": "001190000777", "position": "Chuyên viên"})
    assert r.status_code == 422
    body = r.json()
    assert "Lê Thị Hoà" not in json.dumps(body, ensure_ascii=False)
    assert "đã có" not in body["detail"] and "Văn phòng Đảng ủy sẽ kiểm tra" in body["detail"]
    assert set(body["errors"]) == {"national_id"}
    hung = Member.objects.get(pk=world.hung.pk)
    assert hung.national_id == before and hung.position == ""  # nothing stored
    # routed to the office: an audit event at the committee covering both, without the value
    ev = AuditEvent.objects.get(action="member.conflict")
    assert ev.org_path == world.root.path and ev.after["field"] == "national_id"
    assert "001190000777" not in json.dumps(ev.after) + json.dumps(ev.before)
    assert ev in audit_list(user=world.office, action="member.conflict")


def test_office_covering_both_gets_the_precise_message(world):
    member_update(actor=None, member=world.hoa, profile={"national_id": "001190000777"})
    r = _patch(_client(world.office), world.hung, {"national_id": "001190000777"})
    assert r.status_code == 422 and "Lê Thị Hoà" in r.json()["detail"] and "đã có" in r.json()["detail"]
    assert not AuditEvent.objects.filter(action="member.conflict").exists()


def test_secretary_sees_the_precise_message_inside_their_scope(world):
    r = _patch(_client(world.secretary), world.lan, {"national_id": "025075000123"})  # Hùng's, cell A1
    assert r.status_code == 422 and "Nguyễn Văn Hùng" in r.json()["detail"]


def test_a_number_held_in_another_tree_is_routed_to_each_side_without_names(world):
    member_update(actor=None, member=world.stranger, profile={"national_id": "001190000888"})
    r = _patch(_client(world.office), world.hung, {"national_id": "001190000888"})
    assert r.status_code == 422 and "Phạm Văn Hùng" not in r.content.decode()
    paths = sorted(AuditEvent.objects.filter(action="member.conflict").values_list("org_path", flat=True))
    assert paths == sorted([world.hung.org_path, world.stranger.org_path])
    mine = audit_list(user=world.office, action="member.conflict").get()
    assert "Phạm Văn Hùng" not in json.dumps(mine.after, ensure_ascii=False) + mine.object_label


# -- party card numbers (MEM-8) -------------------------------------------------------------------


def test_duplicate_card_number_is_refused_on_create_compared_normalised(world):
    member_update(actor=None, member=world.hung, profile={"card_number": "AB 012.345"})
    n = Member.objects.count()
    with pytest.raises(InvalidInput) as exc:
        member_create(actor=world.office, organization=world.b, profile={
            "full_name": "Vũ Văn Bình", "sex": "M", "card_number": "ab012345"}, admission_date=D(2020, 1, 1))
    assert set(exc.value.errors) == {"card_number"} and "Nguyễn Văn Hùng" in exc.value.message
    assert Member.objects.count() == n


def test_a_card_number_of_a_former_member_may_be_reused(world):
    member_update(actor=None, member=world.hung, profile={"card_number": "012345"})
    member_event_record(actor=None, member=world.hung, kind="death", on=D(2026, 1, 6))
    m = member_create(actor=None, organization=world.b, profile={"full_name": "Vũ Văn Bình", "sex": "M",
                                                                   "card_number": "012345"}, admission_date=D(2020, 1, 1))
    assert m.card_number == "012345"


def test_duplicate_card_from_a_secretary_outside_scope_is_neutral(world):
    member_update(actor=None, member=world.hoa, profile={"card_number": "99001"})
    r = _patch(_client(world.secretary), world.hung, {"card_number": "99 001"})
    assert r.status_code == 422 and "Lê Thị Hoà" not in r.content.decode()
    assert AuditEvent.objects.filter(action="member.conflict", after__field="card_number").exists()


# -- control, zero-width and bidi characters ------------------------------------------------------


@pytest.mark.parametrize("bad", ["Lê\x00 Văn An", "Lê\u200b Văn An", "Lê \u202eVăn An", "Lê\x07 Văn An"])
def test_names_with_invisible_characters_are_refused_and_nothing_saved(world, bad):
    n = (Member.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as exc:
        member_create(actor=None, organization=world.b, profile={"full_name": bad, "sex": "M"},
                      admission_date=D(2020, 1, 1))
    assert "full_name" in exc.value.errors and "Họ và tên" in exc.value.message
    assert (Member.objects.count(), AuditEvent.objects.count()) == n


def test_every_bad_profile_field_is_reported_at_once(world):
    with pytest.raises(InvalidInput) as exc:
        member_update(actor=None, member=world.hung, profile={
            "home_town": "Hà\x00 Nội", "position": "x" * 121, "workplace": "A\u2066B", "sex": "X"})
    assert set(exc.value.errors) == {"home_town", "position", "workplace", "sex"}
    assert Member.objects.get(pk=world.hung.pk).home_town == ""


def test_event_texts_and_details_are_checked(world):
    n = MemberEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        member_event_record(actor=None, member=world.hung, kind="discipline", on=D(2026, 1, 5),
                            decision_number="12\x00", note="ok\u200b", place="x" * 300,
                            details={"level": "reprimand", "why": "a\x00"})
    assert {"decision_number", "note", "place", "details"} <= set(exc.value.errors)
    assert MemberEvent.objects.count() == n
    with pytest.raises(InvalidInput):
        member_event_record(actor=None, member=world.hung, kind="discipline", on=D(2026, 1, 5),
                            details={"level": "reprimand", "nested": {"a": 1}})
    ev = member_event_record(actor=None, member=world.hung, kind="discipline", on=D(2026, 1, 5),
                             note="Dòng 1\nDòng 2", details={"level": "reprimand"})
    assert ev.note == "Dòng 1\nDòng 2"  # a note keeps its line breaks


# -- sensitive data: masked, write-only for a secretary, audited reveal for the office -------------


def test_profile_masks_the_id_and_the_office_reveal_is_audited(world):
    office = _client(world.office)
    html = office.get(f"/dang-vien/{world.hung.id}/").content.decode()
    assert "025075000123" not in html and "•••••••••123" in html and "05/05/1975" not in html
    assert "Xem đầy đủ" in html
    assert not AuditEvent.objects.filter(action="member.view_sensitive").exists()
    html = office.get(f"/dang-vien/{world.hung.id}/?xem=day-du").content.decode()
    assert "025075000123" in html and "05/05/1975" in html
    ev = AuditEvent.objects.get(action="member.view_sensitive")
    assert ev.actor == world.office and ev.after["where"] == "profile"


def test_secretary_cannot_reveal(world):
    sec = _client(world.secretary)
    html = sec.get(f"/dang-vien/{world.hung.id}/?xem=day-du").content.decode()
    assert "025075000123" not in html and "05/05/1975" not in html and "Xem đầy đủ" not in html
    assert sec.get(f"/api/members/{world.hung.id}/sensitive").status_code == 403
    assert not AuditEvent.objects.filter(action="member.view_sensitive").exists()


def test_member_sees_own_full_values(world):
    Member.objects.filter(pk=world.lan.pk).update(national_id="001180000555")
    c = _client(world.member_user)
    html = c.get(f"/dang-vien/{world.lan.id}/").content.decode()
    assert "001180000555" in html and "05/05/1975" in html
    assert c.get(f"/api/members/{world.lan.id}/sensitive").json()["national_id"] == "001180000555"


def test_secretary_edit_form_is_write_only(world):
    sec = _client(world.secretary)
    html = sec.get(f"/dang-vien/{world.hung.id}/sua/").content.decode()
    assert "025075000123" not in html and "1975-05-05" not in html and "05/05/1975" not in html
    assert "•••••••••123" in html and "Năm sinh đang lưu: 1975" in html
    # empty boxes keep the stored values; a typed value replaces them
    r = sec.post(f"/dang-vien/{world.hung.id}/sua/", {"full_name": "Nguyễn Văn Hùng", "sex": "M",
                                                        "admission_date": "2000-03-02", "position": "Phó phòng"})
    assert r.status_code == 302
    hung = Member.objects.get(pk=world.hung.pk)
    assert (hung.national_id, hung.birth_date, hung.position) == ("025075000123", D(1975, 5, 5), "Phó phòng")
    sec.post(f"/dang-vien/{world.hung.id}/sua/", {"full_name": "Nguyễn Văn Hùng", "sex": "M",
                                                   "admission_date": "2000-03-02", "national_id": "025075000124"})
    assert Member.objects.get(pk=world.hung.pk).national_id == "025075000124"
    assert not AuditEvent.objects.filter(action="member.view_sensitive").exists()


def test_office_edit_form_shows_full_values_and_is_audited(world):
    html = _client(world.office).get(f"/dang-vien/{world.hung.id}/sua/").content.decode()
    assert "025075000123" in html and "05/05/1975" in html
    assert AuditEvent.objects.get(action="member.view_sensitive").after["where"] == "edit_form"


def test_api_masks_and_sensitive_endpoint_is_audited_for_office(world):
    office = _client(world.office)
    data = office.get(f"/api/members/{world.hung.id}").json()
    assert data["national_id_masked"] == "•••••••••123" and "025075000123" not in json.dumps(data)
    full = office.get(f"/api/members/{world.hung.id}/sensitive").json()
    assert full == {"birth_date": "1975-05-05", "national_id": "025075000123"}
    assert AuditEvent.objects.get(action="member.view_sensitive").after["where"] == "api"


# -- CSV export: formula injection ----------------------------------------------------------------


def test_export_neutralises_formulas(world):
    Member.objects.filter(pk=world.hung.pk).update(full_name='=HYPERLINK("http://x","bấm")', position="+1+1")
    text = _client(world.office).get("/dang-vien/xuat.csv").content.decode("utf-8-sig")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows for c in row]
    assert "'=HYPERLINK(\"http://x\",\"bấm\")" in cells and "'+1+1" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
