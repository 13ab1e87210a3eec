"""Tallies written once per bulk write (`reports.tallies.tallies_batched`): the demo build and each
import chunk sum their members' deltas and write them in one upsert at the end of the block. The
result must be exactly what one upsert per member writes; a read inside the block sees the pending
deltas; a failure inside the block takes the members' writes and the deltas back together."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.members.rules import allowed_events
from dangbo.members.services import member_event_record, member_update
from dangbo.orgs.models import Organization
from dangbo.orgs.services import org_move
from dangbo.reports import selectors
from dangbo.reports.tallies import report_tallied, tallies_batched, tallies_rebuild, tally_snapshot
from tests.member_events import event_kwargs

TODAY = date(2030, 1, 1)


def _tally_writes(ctx: CaptureQueriesContext) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith('INSERT INTO "REPORTS_TALLY"'))


def test_a_batch_writes_the_tallies_once_and_exactly(world):
    before = tally_snapshot()
    with CaptureQueriesContext(connection) as ctx, tallies_batched():
        for i in range(5):
            world.add(world.a1, f"Nguyễn Văn Thử{i}", birth_date=date(1975, 1, 1 + i))
        member_update(actor=None, member=Member.objects.get(pk=world.lan.pk), profile={"ethnicity": "Tày"})
        assert _tally_writes(ctx) == 0  # nothing written yet: the deltas wait for the block's end
    assert _tally_writes(ctx) == 1
    kept = tally_snapshot()
    assert kept != before
    assert tallies_rebuild(check=True) == 0


def test_a_read_inside_the_batch_sees_its_writes(world):
    with tallies_batched():
        world.add(world.b, "Lê Văn Mới", admitted=date(2025, 10, 1), official=None)
        assert report_tallied(world.root, TODAY) == selectors.report_current(world.root, TODAY)
        world.add(world.a1, "Vũ Văn Chuyển")  # in the subtree moved below: pending at its old path
        member_update(actor=None, member=Member.objects.get(pk=world.hung.pk), profile={"religion": "Phật giáo"})
        c = Organization.objects.get(code="A")
        org_move(actor=None, org=c, parent=world.other, on=date(2026, 1, 1))  # reads the moved rows
        world.add(Organization.objects.get(code="A1"), "Đỗ Thị Sau", sex="F")  # its new path
    assert tallies_rebuild(check=True) == 0
    for org in Organization.objects.all():
        assert report_tallied(org, TODAY) == selectors.report_current(org, TODAY), org.code


def test_a_failure_inside_the_batch_takes_back_the_members_and_the_deltas(world):
    kept, members = tally_snapshot(), Member.objects.count()
    with pytest.raises(RuntimeError):
        with tallies_batched():
            world.add(world.a1, "Nguyễn Văn Hỏng")
            member_event_record(actor=None, member=Member.objects.get(pk=world.hung.pk), kind="death",
                                on=date(2026, 1, 5), today=TODAY)
            raise RuntimeError("stop")
    assert Member.objects.count() == members
    assert tally_snapshot() == kept
    assert tallies_rebuild(check=True) == 0


step = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.booleans())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(steps=st.lists(step, min_size=1, max_size=15), cut=st.integers(0, 15))
def test_batched_writes_equal_one_upsert_per_write(world, steps, cut):
    """The same random writes, some inside a batch (nested once at `cut`) and some not: kept == rebuild."""
    with transaction.atomic():
        cells = [Organization.objects.get(code=c) for c in ("A1", "A2", "B", "X1")]
        on = date(2026, 1, 1)
        with tallies_batched():
            for i, (who, which, inner) in enumerate(steps):
                members = list(Member.objects.order_by("pk"))
                member = members[who % len(members)]
                kinds = allowed_events(member.state or None, member.away)
                ctx = tallies_batched() if inner and i >= cut else transaction.atomic()
                with ctx:
                    try:
                        if which % 5 == 0:
                            world.add(cells[which % len(cells)], f"Trần Văn Thứ{i}")
                        elif which % 5 == 1:
                            member_update(actor=None, member=member, profile={"religion": ("", "Phật giáo")[which % 2]})
                        elif kinds:
                            kind = kinds[which % len(kinds)]
                            member_event_record(actor=None, member=member, kind=kind, on=on, today=TODAY,
                                                **event_kwargs(kind, member, on, which, cells))
                            note(f"{i} {kind} {member.pk}")
                    except InvalidInput as exc:
                        note(f"{i} refused {exc}")
        assert tallies_rebuild(check=True) == 0
        transaction.set_rollback(True)


def test_a_batch_keeps_the_monthly_snapshots_too(world):
    """Snapshots written, then a bulk write: a new member, a back-dated death, a profile correction, a
    member created and then removed by a savepoint taken back — every snapshot equals the replay."""
    from dangbo.reports.snapshots import snapshots_build, snapshots_check

    days = [date(2025, 12, 31), date(2026, 2, 28)]
    snapshots_build(days, min_members=0)
    with tallies_batched():
        world.add(world.a1, "Nguyễn Văn Mười", admitted=date(2025, 8, 1), official=None)
        member_event_record(actor=None, member=Member.objects.get(pk=world.hoa.pk), kind="death",
                            on=date(2026, 1, 20), today=TODAY)
        member_update(actor=None, member=Member.objects.get(pk=world.lan.pk), profile={"ethnicity": "Tày"})
        try:
            with transaction.atomic():
                world.add(world.b, "Lê Văn Bỏ")
                raise RuntimeError("taken back")
        except RuntimeError:
            pass
    assert snapshots_check() == 0
    assert tallies_rebuild(check=True) == 0
