"""MEM-1 probation counts kept per organisation and start month (procedures.kept) stay exact under every
writer of a member, and «Việc cần làm»'s counts by organisation and kind read from them equal the
grouped count of the probationary members they replaced (the oracle: `due.summary`'s query at 1c50f70,
kept below)."""

from collections import Counter
from datetime import date, timedelta
from unittest.mock import patch

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Case, CharField, Count, Value, When
from django.db.models.deletion import ProtectedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members import rules as mr
from dangbo.members.models import Member
from dangbo.members.services import member_event_record, member_update
from dangbo.procedures import due, kept
from dangbo.procedures.models import ProbationCount
from dangbo.procedures.selectors import due_summary
from dangbo.registry import services as registry


def grouped_oracle(ctx) -> dict[str, Counter]:
    """`due.summary`'s grouped count at 1c50f70: every probationary member of the subtree, by
    organisation and kind."""
    by = {due.OVERDUE: Counter(), due.RECOGNITION: Counter()}
    grouped = due._probationary(ctx).filter(start__lte=ctx.last).annotate(
        kind=Case(When(start__lt=ctx.first, then=Value(due.OVERDUE)), default=Value(due.RECOGNITION),
                  output_field=CharField())).values("organization_id", "kind").annotate(n=Count("id")).order_by()
    for row in grouped:
        by[row["kind"]][row["organization_id"]] = row["n"]
    return by


TODAY = date.today()
OPS = ["create", "create", "recognise", "move", "remove", "readmit", "dates", "death", "delete", "restore"]


def _write(world, made: list, gone: list, op: str, i: int, days: int) -> None:
    cells = [world.a1, world.a2, world.b, world.x1]
    start = TODAY - timedelta(days=days)
    alive = [m for m in Member.objects.filter(pk__in=[m.pk for m in made]).order_by("pk")]
    if op == "create" or not alive:
        made.append(world.add(cells[i % 4], f"Nguyễn Văn Dự {len(made)}", admitted=start, official=None))
        return
    m = alive[i % len(alive)]
    if op == "recognise":
        member_event_record(actor=None, member=m, kind="recognition", on=TODAY, decision_date=TODAY)
    elif op == "move":
        member_event_record(actor=None, member=m, kind="transfer_internal", on=TODAY, to_org=cells[i % 3])
    elif op == "remove":
        member_event_record(actor=None, member=m, kind="removal", on=TODAY, decision_date=TODAY)
    elif op == "readmit":
        member_event_record(actor=None, member=m, kind="admission", on=TODAY, decision_date=TODAY,
                            details={"ceremony_date": TODAY.isoformat()})
    elif op == "death":
        member_event_record(actor=None, member=m, kind="death", on=TODAY)
    elif op == "dates":
        member_update(actor=None, member=m, profile={}, admission_date=start,
                      ceremony_date=start + timedelta(days=i % 20))
    elif op == "delete":
        snapshot = registry.member_snapshot(m)
        registry._members_delete([Member.objects.select_for_update().get(pk=m.pk)])
        made.remove(m)
        gone.append(snapshot)
    elif op == "restore" and gone:
        made.append(registry._member_restore(gone.pop()))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 40), st.integers(0, 560)), max_size=25),
       shifts=st.lists(st.integers(-200, 200), min_size=1, max_size=3), horizon=st.sampled_from([0, 30, 60, 90]))
def test_random_member_writes_keep_the_counts_and_the_summary_exact(world, ops, shifts, horizon):
    """Random sequences of the member writers (admission, recognition, internal transfer, removal,
    re-admission, death, the dates corrected, the registry's delete and restore; refusals included):
    the kept counts equal the members' grouped count, and the counts by organisation and kind equal
    the old query's for the nation's root, a grassroots committee and a cell, on several days."""
    with transaction.atomic():
        made, gone = [], []
        for op, i, days in ops:
            try:
                with transaction.atomic():
                    _write(world, made, gone, op, i, days)
            except (InvalidInput, ProtectedError, mr.TransitionError):
                pass  # refused: nothing written
        assert kept.stored() == kept.grouped()
        assert kept.rebuild(dry_run=True) == 0
        for shift in shifts:
            for org in (world.root, world.a, world.a1, world.other):
                ctx = due.context(org.path, TODAY + timedelta(days=shift), horizon)
                want = grouped_oracle(ctx)
                for n in (due.TOP, 1):  # 1: the organisations beyond the top are counted, not listed
                    with patch.object(due, "TOP", n):
                        got = due._grouped(ctx)
                    for key, counts in want.items():
                        top = sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:n]
                        assert got[key] == (Counter(dict(top)), len(counts), counts.total())
        transaction.set_rollback(True)


def test_the_page_counts_match_the_list(world):
    """The summary's counts per kind equal the rows of the full list (a member in each month edge)."""
    for n, days in enumerate([20, 200, 330, 340, 360, 380, 400, 500]):
        world.add(world.a1, f"Trần Văn Dự {n}", admitted=TODAY - timedelta(days=days), official=None)
    s = due_summary(user=world.office)
    rows = due.all_rows(s)
    for key in due.SQL_KINDS:
        kind = next(k for k in s.kinds if k.key == key)
        assert kind.count == sum(1 for d in rows if d.kind.startswith(due.LABELS[key])) > 0


def test_the_command_checks_and_rebuilds(world, capsys):
    """`dangbo probationcounts --check` fails on counts a bulk write left wrong; without --check it rebuilds."""
    call_command("probationcounts", "--check")
    start = TODAY - timedelta(days=100)
    Member.objects.filter(pk=world.hung.pk).update(state="probationary", ceremony_date=start)  # bypasses the services
    with pytest.raises(CommandError, match="1 số đếm đảng viên dự bị sai"):
        call_command("probationcounts", "--check")
    assert not ProbationCount.objects.filter(organization=world.a1, month=start.replace(day=1), n__gt=0).exists()
    call_command("probationcounts")
    assert "Đã tính lại: 1 số đếm được sửa" in capsys.readouterr().out
    call_command("probationcounts", "--check")
    assert ProbationCount.objects.get(organization=world.a1, month=start.replace(day=1)).n == 1
