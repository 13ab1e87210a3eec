"""Suspension from party activities (đình chỉ sinh hoạt đảng, Điều lệ Đảng Điều 40.4): member events
in the one transition table, keeping the state and setting the `suspended` flag."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members import rules
from dangbo.members.models import Member
from dangbo.members.rules import MemberStatus, TransitionError, apply_status, replay_status
from dangbo.members.services import member_event_record


def test_suspension_keeps_the_state_and_sets_the_flag():
    for state in ("probationary", "official", "exempt"):
        assert apply_status((state, False, False), "suspension") == (state, False, True)
        assert apply_status((state, True, True), "suspension_end") == (state, True, False)
    with pytest.raises(TransitionError, match="đang bị đình chỉ"):
        apply_status(("official", False, True), "suspension")
    with pytest.raises(TransitionError, match="không đang bị đình chỉ"):
        apply_status(("official", False, False), "suspension_end")
    with pytest.raises(TransitionError):
        apply_status(("removed", False, False), "suspension")
    assert apply_status(("official", False, True), "death") == ("deceased", False, False)
    assert replay_status(["admission", "recognition", "suspension"]) == ("official", False, True)
    assert replay_status(["admission", "suspension", "suspension_end"]) == ("probationary", False, False)


def test_menu_offers_the_suspension_event_that_applies():
    assert "suspension" in rules.allowed_events("official", False, False)
    assert "suspension_end" not in rules.allowed_events("official", False, False)
    assert rules.allowed_events("official", False, True).count("suspension") == 0
    assert "suspension_end" in rules.allowed_events("official", False, True)


events_st = st.lists(st.sampled_from(["admission", "recognition", "suspension", "suspension_end",
                                      "temp_transfer_out", "temp_transfer_return", "exemption", "death"]),
                     max_size=15)


@given(events_st)
def test_flag_is_the_parity_of_accepted_suspension_events(events):
    status, ok = MemberStatus(None, False, False), []
    for kind in events:
        try:
            status = apply_status(status, kind)
            ok.append(kind)
        except TransitionError:
            pass
    assert replay_status(ok) == status
    if status.state in rules.ACTIVE_STATES:
        last = [k for k in ok if k in ("suspension", "suspension_end")]
        assert status.suspended == (bool(last) and last[-1] == "suspension")
    else:
        assert status.suspended is False


def test_service_records_suspension_and_its_end(world):
    today = date(2026, 3, 1)
    member_event_record(actor=None, member=world.hung, kind="suspension", on=date(2026, 1, 5), today=today,
                        decision_number="12-QĐ/UBKT")
    hung = Member.objects.get(pk=world.hung.pk)
    assert hung.suspended and hung.state == "official"
    with pytest.raises(InvalidInput, match="đang bị đình chỉ"):
        member_event_record(actor=None, member=hung, kind="suspension", on=date(2026, 1, 6), today=today)
    member_event_record(actor=None, member=hung, kind="suspension_end", on=date(2026, 2, 5), today=today)
    hung.refresh_from_db()
    assert not hung.suspended
    assert replay_status([(e.kind, e.details) for e in hung.events.all()]) == (hung.state, hung.away, hung.suspended)


def test_event_form_offers_only_the_suspension_event_that_applies(world):
    from django.test import Client

    client = Client()
    client.force_login(world.office)
    url = f"/dang-vien/{world.hung.id}/"  # the profile carries the event form
    page = client.get(url).content.decode()
    assert 'value="suspension"' in page and 'value="suspension_end"' not in page
    member_event_record(actor=None, member=world.hung, kind="suspension", on=date(2026, 1, 5),
                        today=date(2026, 3, 1))
    page = client.get(url).content.decode()
    assert 'value="suspension_end"' in page and 'value="suspension"' not in page
