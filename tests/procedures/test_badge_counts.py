"""MEM-3 badge counts kept per organisation (its members below it) and award day (procedures.badgekept)
stay exact under every writer of a member's organisation or badge day — the events, the dates, the
registry's delete and restore, a bulk block (`badge_days_batched`) — and every move of the tree; the
badge count of «Việc cần làm» read from them equals the count of the member rows it replaced (the
same function with the kept counts switched off)."""

from datetime import date
from unittest.mock import patch

from django.db import transaction
from django.db.models.deletion import ProtectedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.core import paths
from dangbo.core.errors import InvalidInput
from dangbo.members import rules as mr
from dangbo.members.badgedays import badge_days_batched
from dangbo.members.models import Member
from dangbo.members.rules import add_months, allowed_events
from dangbo.members.services import member_event_record, member_update
from dangbo.orgs.models import Organization
from dangbo.orgs.services import org_move
from dangbo.procedures import badgekept
from dangbo.procedures.models import EarlyBadge
from dangbo.procedures.selectors import _badges_due
from dangbo.registry import services as registry
from tests.member_events import event_kwargs
from tests.procedures.test_probation_counts import _cells, _tree

TODAY = date(2030, 1, 1)
CFG = mr.DEFAULTS


def _check(world) -> None:
    assert badgekept.stored() == badgekept.grouped()
    scopes = [Organization.objects.get(pk=o.pk) for o in (world.root, world.a, world.c, world.a1, world.other)]
    for today in (date(2026, 1, 10), date(2026, 5, 19), date(2026, 8, 1), date(2027, 12, 31)):
        nxt = mr.next_award_day(today)
        for occasion in (nxt, mr.next_award_day(add_months(nxt, 1)), date(2025, 11, 7)):
            for org in scopes:
                got = _badges_due(org.path, occasion, today, CFG, count=True)
                with patch.object(badgekept, "count", lambda *a, **kw: None):  # the member rows counted
                    want = _badges_due(org.path, occasion, today, CFG, count=True)
                assert got == want, (org.code, today, occasion)


def _step(world, members: list, gone: list, who: int, which: int, pick: int, on: date) -> None:
    alive = list(Member.objects.filter(pk__in=[m.pk for m in members]).order_by("pk"))
    if not alive:
        return
    member = alive[who % len(alive)]
    cells = _cells()
    if which % 11 == 0:
        _tree(world, ("org_move", "org_move", "org_merge", "org_dissolve")[pick % 4], pick, cells)
    elif which % 11 == 1:
        snapshot = registry.member_snapshot(member)
        registry._members_delete([Member.objects.select_for_update().get(pk=member.pk)])
        gone.append(snapshot)
    elif which % 11 == 2 and gone:
        members.append(registry._member_restore(gone.pop()))
    elif which % 11 == 3:
        member_update(actor=None, member=member, profile={}, admission_date=mr.add_years(on, -30 - pick % 20),
                      today=TODAY)
    elif which % 11 == 4:
        EarlyBadge.objects.create(member=member, org_path=member.org_path, tier=(30, 40)[pick % 2],
                                  months=1 + pick % 12, reason="Bệnh hiểm nghèo", cell_resolution="01-NQ",
                                  proposed_date=on)
    else:
        kinds = allowed_events(member.state or None, member.away)
        if not kinds:
            return
        kind = kinds[which % len(kinds)]
        kw = event_kwargs(kind, member, on, pick, cells)
        if kind == "badge":
            kw = {"details": {"tier": (30, 40, 45)[pick % 3]}}
        member_event_record(actor=None, member=member, kind=kind, on=on, today=TODAY, **kw)


step = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000), st.booleans())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25),
       admitted=st.lists(st.dates(date(1975, 1, 1), date(1998, 12, 31)), min_size=4, max_size=8))
def test_random_writes_keep_the_badge_counts_and_the_count_exact(tree, steps, admitted):
    """Random events (badges awarded, disciplines, transfers, deaths …), admission dates corrected,
    early awards proposed, the registry's delete and restore, org moves, merges and dissolutions, some
    inside a bulk block: the kept counts equal the recomputed ones, and the badge count equals the
    member rows' for the root, two grassroots committees, a cell and another tree, at several days
    and occasions."""
    with transaction.atomic():
        cells = _cells()
        members = [tree.add(cells[i % len(cells)], f"Trần Văn Cựu{i}", admitted=a, official=mr.add_years(a, 1),
                            birth_date=date(1950, 1, 1)) for i, a in enumerate(admitted)]
        members += list(Member.objects.exclude(pk__in=[m.pk for m in members]).order_by("pk"))
        gone, on = [], date(2026, 1, 1)
        for i, (who, which, pick, batched) in enumerate(steps):
            on = add_months(on, 1) if i % 3 == 2 else on
            try:
                if batched:
                    with badge_days_batched():
                        _step(tree, members, gone, who, which, pick, on)
                else:
                    with transaction.atomic():
                        _step(tree, members, gone, who, which, pick, on)
            except (InvalidInput, ProtectedError, mr.TransitionError):
                pass  # refused: nothing written
        _check(tree)
        transaction.set_rollback(True)


def test_a_moved_subtree_takes_its_badge_counts_along(tree):
    """A grassroots committee moved to another committee: its members' counts leave the root and join
    the other tree; without the hook they would not."""
    tree.add(tree.a1, "Cựu Binh", admitted=date(1996, 1, 2), official=date(1997, 1, 2))
    org_move(actor=None, org=Organization.objects.get(pk=tree.a.pk), parent=tree.other, on=date.today())
    assert badgekept.stored() == badgekept.grouped()
    with patch.object(paths, "_SUBTREE_HOOKS", []):
        org_move(actor=None, org=Organization.objects.get(pk=tree.a.pk), parent=tree.root, on=date.today())
    assert badgekept.stored() != badgekept.grouped()


def test_other_award_days_count_the_rows():
    """Award days other than the default ones (DANGBO_RULES): the kept counts are not used."""
    other = mr.MemberRuleSettings(award_days=((1, 1), (7, 1)))
    assert badgekept.count(1, "000001/", date(2026, 7, 1), whole_past=True, cfg=other) is None
