"""Member services: validation, the transition table at work, atomicity and the audit trail."""

from datetime import date

import pytest

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member, MemberEvent
from dangbo.members.services import member_create, member_event_record, member_update


def test_create_derives_names_and_state(world):
    m = world.add(world.a1, "  NGUYỄN   thị  thu hà ", sex="F")
    assert m.full_name == "Nguyễn Thị Thu Hà"
    assert (m.surname, m.middle_name, m.given_name) == ("Nguyễn", "Thị Thu", "Hà")
    assert m.name_folded == "nguyen thi thu ha" and m.given_folded == "ha"
    assert m.state == "official" and m.org_path == world.a1.path
    assert [e.kind for e in m.events.all()] == ["admission", "recognition"]


def test_probationary_until_recognised(world):
    assert world.hoa.state == "probationary"
    with pytest.raises(InvalidInput) as exc:
        member_create(actor=None, organization=world.b, profile={"full_name": "Lê Văn An", "sex": "M"},
                      admission_date=date(2025, 1, 10), official_date=date(2025, 6, 1))
    assert exc.value.field == "official_date"


@pytest.mark.parametrize("profile, field", [
    ({"full_name": "Hùng", "sex": "M"}, "full_name"),
    ({"full_name": "Lê Văn An", "sex": "X"}, "sex"),
    ({"full_name": "Lê Văn An", "sex": "M", "national_id": "12345"}, "national_id"),
    ({"full_name": "Lê Văn An", "sex": "M", "national_id": "025075000123"}, "national_id"),  # duplicate
    ({"full_name": "Lê Văn An", "sex": "M", "birth_date": date(2010, 1, 1)}, "admission_date"),  # under 18
])
def test_bad_profile_names_the_field_and_saves_nothing(world, profile, field):
    before = (Member.objects.count(), MemberEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as exc:
        member_create(actor=None, organization=world.b, profile=profile, admission_date=date(2020, 1, 1))
    assert exc.value.field == field
    assert exc.value.message  # Vietnamese text for the user
    assert (Member.objects.count(), MemberEvent.objects.count(), AuditEvent.objects.count()) == before


def test_national_id_keeps_digits_only(world):
    m = world.add(world.b, "Vũ Văn Bình", national_id="025 075.000-999")
    assert m.national_id == "025075000999"


def test_temporary_transfer_and_return(world):
    ev = member_event_record(actor=world.office, member=world.hung, kind="temp_transfer_out",
                             on=date(2026, 1, 5), to_org=world.b, end_date=date(2026, 7, 5))
    hung = Member.objects.get(pk=world.hung.pk)
    assert hung.away and hung.temp_host == world.b and hung.organization == world.a1
    assert ev.from_org == world.a1
    with pytest.raises(InvalidInput):  # already away
        member_event_record(actor=world.office, member=hung, kind="temp_transfer_out", on=date(2026, 2, 1),
                            to_org=world.a2, end_date=date(2026, 8, 1))
    member_event_record(actor=world.office, member=hung, kind="temp_transfer_return", on=date(2026, 3, 1))
    hung.refresh_from_db()
    assert not hung.away and hung.temp_host is None


def test_temporary_transfer_duration_is_checked(world):
    with pytest.raises(InvalidInput) as exc:
        member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=date(2026, 1, 5),
                            place="Học viện Chính trị quốc gia", end_date=date(2026, 2, 1))
    assert exc.value.field == "end_date"


def test_internal_transfer_moves_member_and_scope(world):
    member_event_record(actor=None, member=world.hung, kind="transfer_internal", on=date(2026, 1, 5), to_org=world.b)
    world.hung.refresh_from_db()
    assert world.hung.organization == world.b and world.hung.org_path == world.b.path


def test_impossible_transition_is_refused_with_message(world):
    with pytest.raises(InvalidInput) as exc:
        member_event_record(actor=None, member=world.hung, kind="recognition", on=date(2026, 1, 5))
    assert "Không thể ghi sự kiện" in exc.value.message
    member_event_record(actor=None, member=world.hung, kind="death", on=date(2026, 1, 6))
    with pytest.raises(InvalidInput):
        member_event_record(actor=None, member=world.hung, kind="badge", on=date(2026, 2, 3), details={"tier": 30})


def test_event_before_last_event_is_refused(world):
    with pytest.raises(InvalidInput) as exc:
        member_event_record(actor=None, member=world.hung, kind="exemption", on=date(1999, 1, 1))
    assert exc.value.field == "date"


def test_audit_records_change_without_sensitive_values(world):
    member_update(actor=world.office, member=world.hung, profile={"national_id": "025075000777", "position": "Chuyên viên"})
    ev = AuditEvent.objects.filter(action="member.update").latest("id")
    assert ev.actor.username == "office"
    assert ev.after["position"] == "Chuyên viên"
    assert "025075000777" not in str(ev.after) + str(ev.before)
    assert ev.after["national_id"] == "•••"
    create = AuditEvent.objects.filter(action="member.create", object_id=str(world.hung.pk)).get()
    assert "1975-05-05" not in str(create.after) and "025075000123" not in str(create.after)
