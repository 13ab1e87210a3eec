"""The stored next-badge day in a bulk write (members.badgedays.badge_days_batched, session 9): the
members a block touches are recomputed once at its end, rows and instances, and the result is the
same as recomputing after every event — whatever full saves of old instances the block made."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members import rules as mr
from dangbo.members.badgedays import FIELDS, badge_days_batched, badge_days_rebuild
from dangbo.members.models import Member
from dangbo.members.rules import add_months, allowed_events
from dangbo.members.services import member_event_record, member_update
from tests.member_events import event_kwargs

TODAY = date(2030, 1, 1)


def _stored(pk: int) -> tuple:
    return tuple(Member.objects.filter(pk=pk).values_list(*FIELDS)[0])


def _held(member: Member) -> tuple:
    return tuple(getattr(member, f) for f in FIELDS)


def _event(member, kind, on, **kw):
    return member_event_record(actor=None, member=member, kind=kind, on=on, today=TODAY, **kw)


def _event_reads(queries) -> int:
    return sum(1 for q in queries if q["sql"].lstrip().upper().startswith("SELECT") and "memberevent" in q["sql"]
               and "'badge'" in q["sql"])


def test_events_in_a_block_are_recomputed_once_at_its_end(world):
    hung = Member.objects.get(pk=world.hung.pk)
    assert _stored(hung.pk) == (30, date(2030, 3, 2), False)
    with badge_days_batched():
        with CaptureQueriesContext(connection) as inside:
            _event(hung, "badge", date(2026, 1, 5), details={"tier": 30})
            _event(hung, "badge", date(2026, 1, 6), details={"tier": 40})
            member_update(actor=None, member=hung, profile={}, admission_date=date(1995, 3, 2), today=TODAY)
        assert _event_reads(inside.captured_queries) == 0  # noted only
        assert _stored(hung.pk) == (30, date(2030, 3, 2), False)  # not yet: nothing may read it here
    assert _stored(hung.pk) == (45, date(2040, 3, 2), False)
    assert _held(hung) == (45, date(2040, 3, 2), False)  # the instance given to the service too
    assert badge_days_rebuild(dry_run=True) == 0


def test_an_old_instance_saved_in_full_in_the_block_is_set_right(world):
    """A full `save()` inside the block writes the instance's old badge values; the block's end reads
    the rows and fixes both the row and every instance it was given, so a save after it is right too."""
    hung = Member.objects.get(pk=world.hung.pk)
    with badge_days_batched():
        member_update(actor=None, member=hung, profile={}, admission_date=date(1995, 3, 2), today=TODAY)
        _event(hung, "badge", date(2026, 1, 5), details={"tier": 30})  # re-reads the member, saves it
        hung.workplace = "Sở Nội vụ"
        hung.save()  # the caller's object: badge values from before the block
        assert _held(hung) == (30, date(2030, 3, 2), False)
    assert _stored(hung.pk) == _held(hung) == (40, date(2035, 3, 2), False)
    hung.save()  # after the block: writes the right values
    assert badge_days_rebuild(dry_run=True) == 0


def test_a_failing_block_writes_nothing(world):
    hung = Member.objects.get(pk=world.hung.pk)
    with pytest.raises(RuntimeError), badge_days_batched():
        _event(hung, "badge", date(2026, 1, 5), details={"tier": 30})
        raise RuntimeError
    assert _stored(hung.pk) == (30, date(2030, 3, 2), False) and not hung.events.filter(kind="badge").exists()
    _event(hung, "badge", date(2026, 1, 5), details={"tier": 30})  # outside a block: kept at once
    assert _stored(hung.pk) == (40, date(2040, 3, 2), False)


step = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=20),
       admitted=st.lists(st.dates(date(1984, 1, 1), date(1998, 12, 31)), min_size=3, max_size=3))
def test_random_events_in_a_block_end_as_if_kept_one_by_one(world, steps, admitted):
    """Property: random events, admission-date corrections through the caller's object, full saves of
    objects read in the block (their badge values not yet recomputed) and events taken back by a savepoint,
    all in one block; at its end every stored day equals the one recomputed from the events, and a
    full save of each held object still current (no event on its member since it was read) changes
    nothing."""
    cells = [world.a1, world.a2, world.b, world.x1]
    with transaction.atomic():  # each example starts from the fixture's world
        members = [world.add(cells[i], f"Trần Văn Cựu{i}", admitted=a, official=mr.add_years(a, 1),
                             birth_date=date(1950, 1, 1)) for i, a in enumerate(admitted)]
        held = [Member.objects.get(pk=m.pk) for m in members] + list(
            Member.objects.exclude(pk__in=[m.pk for m in members]).order_by("pk"))
        current = [True] * len(held)
        with badge_days_batched():
            on = date(2026, 1, 1)
            for i, (who, which, pick) in enumerate(steps):
                on = add_months(on, 1) if i % 3 == 2 else on
                n = who % len(held)
                member = held[n]
                if which % 7 == 0:  # an object read in the block (its badge values not yet recomputed) saved in full
                    reread = not current[n]  # an object older than its member's events would write their state back
                    if reread:
                        held[n] = member = Member.objects.get(pk=member.pk)
                    member.workplace = f"Nơi {pick}"
                    member.save()
                    # read in the block, not given to badge_day_keep: its badge values stay those read
                    current[n] = not reread
                    continue
                if which % 7 == 1:  # an admission-date correction through the caller's object
                    try:
                        member_update(actor=None, member=member, profile={}, today=TODAY,
                                      admission_date=date(1985 + pick % 14, 1 + pick % 12, 1 + pick % 28))
                        event("admission date")
                    except InvalidInput:
                        event("admission date refused")
                    continue
                state, away = Member.objects.values_list("state", "away").get(pk=member.pk)
                kinds = allowed_events(state or None, away)
                if not kinds:
                    continue
                kind = kinds[which % len(kinds)]
                kw = event_kwargs(kind, member, on, pick, cells)
                if kind == "badge":
                    kw = {"details": {"tier": (30, 40, 45)[pick % 3]}}
                try:
                    if pick % 5 == 0:  # taken back by a savepoint
                        with transaction.atomic():
                            _event(member, kind, on, **kw)
                            raise RuntimeError
                    _event(member, kind, on, **kw)  # the service re-reads the member: `member` is now old
                    current[n] = False
                    event(f"recorded {kind}")
                except (InvalidInput, RuntimeError):
                    event("refused or rolled back")
        assert badge_days_rebuild(dry_run=True) == 0  # stored == recomputed from the events
        for member, ok in zip(held, current, strict=True):
            if ok:
                member.save()  # a later full save of an object still current must write the right values
        assert badge_days_rebuild(dry_run=True) == 0
        transaction.set_rollback(True)
