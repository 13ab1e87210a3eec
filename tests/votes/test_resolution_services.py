"""A resolution's base through the services (CON-4): the members summoned minus the exclusions the
secretariat entered, frozen at opening; procedural votes keep those present. The `congress` fixture:
4 official delegates summoned, 3 checked in (Mai absent)."""

import pytest

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.votes import services
from dangbo.votes.models import OpenVote


def _hands(vote, yes, no=0):
    services.vote_hands_enter(actor=None, vote=vote, votes_for=yes, votes_against=no, votes_abstain=0)
    return services.vote_close(actor=None, vote=vote)


def test_resolution_is_counted_on_members_not_present(world, congress):
    v = services.vote_create(actor=world.office, congress=congress, subject="Nghị quyết", kind="resolution")
    v = services.vote_open(actor=world.office, vote=v)
    assert (v.base, v.base_method, v.present_at_open, v.excluded_at_open) == (4, "members", 3, 0)
    v = _hands(v, 2, 1)  # 2 of the 3 present: a majority of those present, not of the 4 members
    assert v.passed is False
    agenda = services.vote_create(actor=world.office, congress=congress, subject="Chương trình", kind="agenda")
    agenda = services.vote_open(actor=world.office, vote=agenda)
    assert (agenda.base, agenda.base_method) == (3, "present")
    assert _hands(agenda, 2, 1).passed is True  # procedural: more than half of those present


def test_exclusions_entered_then_frozen(world, congress):
    v = services.vote_create(actor=world.office, congress=congress, subject="Nghị quyết", kind="resolution")
    v = services.vote_exclusions_set(actor=world.office, vote=v,
                                     excluded={"absent_without_alternate": "1", "convening_members_absent_whole": ""})
    assert v.exclusions == {"convening_members_absent_whole": 0, "absent_without_alternate": 1}
    assert AuditEvent.objects.filter(action="vote.exclusions_set", object_id=str(v.pk)).exists()
    v = services.vote_open(actor=world.office, vote=v)
    assert (v.base, v.excluded_at_open) == (3, 1)
    assert _hands(v, 2, 1).passed is True
    with pytest.raises(InvalidInput, match="đã mở"):
        services.vote_exclusions_set(actor=None, vote=v, excluded={"absent_without_alternate": 0})
    assert OpenVote.objects.get(pk=v.pk).exclusions["absent_without_alternate"] == 1


def test_exclusions_refused(world, congress):
    agenda = services.vote_create(actor=None, congress=congress, subject="Chương trình", kind="agenda")
    with pytest.raises(InvalidInput, match="thủ tục"):
        services.vote_exclusions_set(actor=None, vote=agenda, excluded={"absent_without_alternate": 1})
    v = services.vote_create(actor=None, congress=congress, subject="Nghị quyết", kind="resolution")
    for bad, field in (({"absent_without_alternate": "-1"}, "absent_without_alternate"),
                       ({"absent_without_alternate": "²"}, "absent_without_alternate"),
                       ({"lunch": 1}, "exclusions"),
                       ({"absent_without_alternate": 5}, "absent_without_alternate")):
        with pytest.raises(InvalidInput) as exc:
            services.vote_exclusions_set(actor=None, vote=v, excluded=bad)
        assert exc.value.field == field
    assert OpenVote.objects.get(pk=v.pk).exclusions == {}
    # two excluded as absent for the whole congress, but three are checked in of four: refused at opening
    services.vote_exclusions_set(actor=None, vote=v, excluded={"absent_without_alternate": 2})
    with pytest.raises(InvalidInput, match="có mặt"):
        services.vote_open(actor=None, vote=v)
    assert OpenVote.objects.get(pk=v.pk).status == "draft"


def test_hands_count_cannot_exceed_those_present(world, congress):
    v = services.vote_create(actor=None, congress=congress, subject="Nghị quyết", kind="resolution")
    v = services.vote_open(actor=None, vote=v)
    with pytest.raises(InvalidInput, match="có mặt"):
        services.vote_hands_enter(actor=None, vote=v, votes_for=4, votes_against=0, votes_abstain=0)
    assert OpenVote.objects.get(pk=v.pk).votes_for == 0
