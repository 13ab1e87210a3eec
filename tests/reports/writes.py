"""Test helper shared by the reports' property tests (test_tallies, test_snapshots): a list of random
steps written through the services — new members around band boundaries, profile corrections,
organisation moves, member events (refused ones noted and skipped)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import event, note
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.members.rules import add_months, allowed_events
from dangbo.members.services import member_event_record, member_update
from dangbo.orgs.services import org_move
from tests.member_events import event_kwargs

TODAY = date(2030, 1, 1)
step = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
PROFILES = ({"ethnicity": "Tày"}, {"religion": "Công giáo", "education": "9/12"}, {"professional_level": "Thạc sĩ"},
            {"political_theory_level": "Cao cấp"}, {"ethnicity": ""}, {"sex": "F"},
            {"national_id": "001095012345"}, {"national_id": ""})  # one member at a time holds an ID number


@dataclass(frozen=True)
class Mix:
    """How one test's writes differ: the span of new members' admission days around 1 January 2016,
    whether some are official already (on 2 March 2025), whether profile edits also move the
    admission date."""

    admitted_span: int = 700
    some_official: bool = True
    admission_edits: bool = False


def random_writes(world, steps, members, cells, parents, fresh, start: date, mix: Mix = Mix()) -> None:
    """Write `steps` from `start` (a month further every third step). `members` grows with the new
    ones; `fresh`: the organisations by code as they stand in this example (its "B" is moved)."""
    on = start
    for i, (who, which, pick) in enumerate(steps):
        on = add_months(on, 1) if i % 3 == 2 else on
        if who % 7 == 0:  # a new member born / admitted around a band boundary
            birth = date(1995, 1, 1) + timedelta(days=pick % 800 - 400)
            official = date(2025, 3, 2) if mix.some_official and not pick % 2 else None
            members.append(world.add(cells[pick % len(cells)], f"Nguyễn Văn Thứ{i}", birth_date=birth,
                                     admitted=date(2016, 1, 1) + timedelta(days=which % mix.admitted_span - 350),
                                     official=official))
            note(f"{i} new {members[-1].pk} {members[-1].state} {members[-1].birth_date} {members[-1].admission_date}")
            continue
        member = Member.objects.get(pk=members[who % len(members)].pk)
        try:
            if who % 7 == 1:
                extra = ({"admission_date": date(2015, 6, 1) + timedelta(days=which % 4000)}
                         if mix.admission_edits and pick % 3 == 0 else {})
                member_update(actor=None, member=member, profile={
                    **PROFILES[pick % len(PROFILES)], "birth_date": date(1965, 1, 1) + timedelta(days=which % 900)},
                    **extra)
                event("profile")
                note(f"{i} profile {member.pk} {extra}")
            elif who % 7 == 2 and i % 4 == 0:
                org_move(actor=None, org=fresh["B"], parent=parents[pick % 3], on=on)
                event("org move")
                note(f"{i} move B under {parents[pick % 3].code}")
            else:
                kinds = allowed_events(member.state or None, member.away)
                if not kinds:
                    continue
                kind = kinds[which % len(kinds)]
                member_event_record(actor=None, member=member, kind=kind, on=on, today=TODAY,
                                    **event_kwargs(kind, member, on, pick, cells))
                event(f"recorded {kind}")
                note(f"{i} {kind} {member.pk} on {on}")
        except InvalidInput as exc:
            note(f"{i} refused {exc}")
            event("refused")
