"""The stored next-badge day (members.badgedays, issue 14): after random member events it equals
the day recomputed from the events, and "what is due" / the badge list read from it equal the old
computation (`old_badges_due`: the code of c72039b, `next_badge` for every candidate), kept here as the
oracle."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members import rules as mr
from dangbo.members.badgedays import badge_days_rebuild
from dangbo.members.models import Member, MemberEvent
from dangbo.members.rules import add_months, allowed_events
from dangbo.members.services import member_event_record, member_update
from dangbo.procedures.models import EarlyBadge
from dangbo.procedures.selectors import _badges_due, badge_count, badge_list, due_list
from tests.member_events import event_kwargs

TODAY = date(2030, 1, 1)
CFG = mr.DEFAULTS


def old_badges_due(org_path: str, occasion: date, today: date, cfg) -> dict[int, tuple]:
    """Member id → (tier, reached, held until, early) for the official members under `org_path` whose
    next badge is due on `occasion` (MEM-3), an early award the cell proposed for serious illness
    counted for the tier it was proposed for (`EarlyBadge`, the latest proposal). Plain values, one
    query for the members, one for their badge and discipline events, one for the proposals."""
    from dangbo.procedures.models import EarlyBadge

    earliest = mr.add_years(occasion, -mr.BADGE_TIERS[0])
    early = {}
    for mid, tier, months, proposal in EarlyBadge.objects.filter(org_path__startswith=org_path) \
            .order_by("proposed_date", "id").values_list("member_id", "tier", "months", "cell_resolution"):
        early[mid] = (tier, months, proposal)  # the latest proposal wins
    members = dict(Member.objects.filter(
        org_path__startswith=org_path, state__in=list(mr.OFFICIAL_STATES), admission_date__isnull=False,
        admission_date__lte=mr.add_months(earliest, max(cfg.early_award_max_months.values())))
        .values_list("id", "admission_date"))
    awarded: dict[int, list] = {}
    disciplines: dict[int, list] = {}
    for mid, kind, details, decided, on in MemberEvent.objects.filter(
            member_id__in=list(members), kind__in=("badge", "discipline")) \
            .values_list("member_id", "kind", "details", "decision_date", "date"):
        details = details or {}
        if kind == "badge" and details.get("tier"):
            awarded.setdefault(mid, []).append(details["tier"])
        elif kind == "discipline" and details.get("level"):
            disciplines.setdefault(mid, []).append((decided or on, details["level"]))
    out = {}
    on_date = min(today, occasion)
    # next_badge depends only on these inputs, and members share admission days: a province's
    # tens of thousands of candidates have a few thousand distinct keys (docs/PERFORMANCE.md, issue 14)
    memo: dict[tuple, mr.BadgeDue | None] = {}
    for mid, admitted in members.items():
        held = disciplines.get(mid, ())
        key = (admitted, tuple(awarded.get(mid, ())), tuple(held))
        if key not in memo:
            memo[key] = mr.next_badge(admitted, awarded_tiers=key[1], on_date=on_date, disciplines=held, settings=cfg)
        due = memo[key]
        proposal = None
        if mid in early and due is not None and due.tier == early[mid][0]:
            tier, months, text = early[mid]
            try:
                sooner = mr.next_badge(admitted, awarded_tiers=awarded.get(mid, ()), on_date=on_date,
                                       disciplines=held, early_months=months, settings=cfg)
            except ValueError:  # a setting lowered since the proposal: the award keeps its own date
                sooner = None
            if sooner is not None and sooner.tier == tier:
                due, proposal = sooner, (months, text)
        if due is None or due.award_date != occasion:
            continue
        hold = mr.discipline_hold(held, settings=cfg)
        reached = mr.badge_reached_date(admitted, due.tier, settings=cfg)
        if proposal is None and admitted > earliest:
            continue
        out[mid] = (due.tier, reached, hold if hold and hold > reached else None, proposal)
    return out



def _stored(member) -> tuple:
    member.refresh_from_db()
    return member.badge_tier, member.badge_tier_on, member.badge_held


def _event(member, kind, on, **kw):
    return member_event_record(actor=None, member=member, kind=kind, on=on, today=TODAY, **kw)


def _same_as_oracle(path: str) -> None:
    for today in (date(2026, 1, 10), date(2026, 5, 19), date(2026, 8, 1), date(2027, 12, 31)):
        nxt = mr.next_award_day(today)
        later = mr.next_award_day(add_months(nxt, 1))
        for occasion in (nxt, later, date(2025, 11, 7), date(2026, 3, 1)):  # the last is no award day
            assert _badges_due(path, occasion, today, CFG) == old_badges_due(path, occasion, today, CFG), \
                (today, occasion)
            assert _badges_due(path, occasion, today, CFG, count=True) == \
                len(old_badges_due(path, occasion, today, CFG))


def test_the_services_keep_the_day(world):
    assert _stored(world.hung) == (30, date(2030, 3, 2), False)  # admitted 2/3/2000
    assert _stored(world.hoa) == (None, None, False)  # probationary: no badge
    _event(world.hung, "badge", date(2026, 1, 5), details={"tier": 30})
    assert _stored(world.hung) == (40, date(2040, 3, 2), False)
    _event(world.hung, "discipline", date(2026, 2, 5), details={"level": "reprimand"})
    assert _stored(world.hung) == (None, None, True)  # computed exactly at read time
    _event(world.lan, "death", date(2026, 1, 5))
    assert _stored(world.lan) == (None, None, False)
    member_update(actor=None, member=world.stranger, profile={}, admission_date=date(1996, 2, 29), today=TODAY)
    assert _stored(world.stranger) == (30, date(2026, 2, 28), False)  # 29/2 + 30 years → 28/2
    assert badge_days_rebuild(dry_run=True) == 0


def test_the_command_finds_and_fixes_a_wrong_day(world):
    Member.objects.filter(pk=world.hung.pk).update(badge_tier_on=date(2001, 1, 1))
    with pytest.raises(CommandError, match="1 đảng viên"):
        call_command("badgedays", "--check", stdout=StringIO())
    out = StringIO()
    call_command("badgedays", stdout=out)
    assert "1 đảng viên được sửa" in out.getvalue()
    assert _stored(world.hung) == (30, date(2030, 3, 2), False)
    call_command("badgedays", "--check", stdout=StringIO())


def test_due_count_and_list_without_computing_every_candidate(world, monkeypatch):
    """Members without a discipline are found by the stored day: `next_badge` is not run for them."""
    for i in range(5):
        world.add(world.a2, f"Cùng Ngày {i}", admitted=date(1996, 1, 2), official=date(1997, 1, 2))
    calls = []
    real = mr.next_badge
    monkeypatch.setattr(mr, "next_badge", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    occasion = date(2026, 2, 3)
    rows = badge_list(user=world.office, occasion=occasion, today=date(2026, 1, 10))
    assert len(rows) == 5 and calls == []
    assert badge_count(user=world.office, occasion=occasion, today=date(2026, 1, 10)) == 5
    assert [r.tier for r in rows] == [30] * 5 and rows[0].reached == date(2026, 1, 2)


step = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25),
       admitted=st.lists(st.dates(date(1984, 1, 1), date(1998, 12, 31)), min_size=4, max_size=4))
def test_random_events_keep_the_day_and_the_due_list_equal_to_the_old_one(world, steps, admitted):
    cells = [world.a1, world.a2, world.b, world.x1]
    with transaction.atomic():  # each example starts from the fixture's world
        members = [world.add(cells[i], f"Trần Văn Cựu{i}", admitted=a, official=mr.add_years(a, 1),
                             birth_date=date(1950, 1, 1))
                   for i, a in enumerate(admitted)]
        members += list(Member.objects.exclude(pk__in=[m.pk for m in members]).order_by("pk"))
        on = date(2026, 1, 1)
        for i, (who, which, pick) in enumerate(steps):
            on = add_months(on, 1) if i % 3 == 2 else on
            member = Member.objects.get(pk=members[who % len(members)].pk)
            if which % 9 == 0:  # now and then the cell proposes an early award
                EarlyBadge.objects.create(member=member, org_path=member.org_path, tier=(30, 40)[pick % 2],
                                          months=1 + pick % 12, reason="Bệnh hiểm nghèo", cell_resolution="01-NQ",
                                          proposed_date=on)
                continue
            kinds = allowed_events(member.state or None, member.away)
            if not kinds:
                continue
            kind = kinds[which % len(kinds)]
            kw = event_kwargs(kind, member, on, pick, cells)
            if kind == "badge":
                kw = {"details": {"tier": (30, 40, 45)[pick % 3]}}
            try:
                _event(member, kind, on, **kw)
                event(f"recorded {kind}")
            except InvalidInput:
                event("refused")
        assert badge_days_rebuild(dry_run=True) == 0  # stored == recomputed from the events
        for path in (world.root.path, world.a.path, world.other.path):
            _same_as_oracle(path)
        transaction.set_rollback(True)


def test_due_list_shows_the_count_and_links_to_the_badge_list(world):
    for i in range(3):
        world.add(world.a1, f"Lê Văn Mốc{i}", admitted=mr.add_years(date.today(), -30), official=date(2000, 1, 1))
    items = [d for d in due_list(user=world.office) if d.kind.startswith("Trao Huy hiệu")]
    assert [(d.who, d.url) for d in items] == [("3 đảng viên", "/huy-hieu/")]
