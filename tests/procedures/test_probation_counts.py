"""MEM-1 probation counts kept per organisation's whole subtree and start day (procedures.kept) stay exact
under every writer of a member and every change of the tree (move, merge, split, dissolution), and
«Việc cần làm»'s counts read from them — the scope's per kind and those of the organisations directly
under it — equal the grouped count of the probationary members they replaced (the oracle:
`due.summary`'s query at 1c50f70, kept below, rolled up to the scope's children)."""

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

from dangbo.core import paths
from dangbo.core.errors import InvalidInput
from dangbo.members import rules as mr
from dangbo.members.models import Member
from dangbo.members.services import member_event_record, member_update
from dangbo.orgs.models import Organization
from dangbo.orgs.services import org_dissolve, org_merge, org_move, org_split
from dangbo.procedures import due, kept
from dangbo.procedures.models import ProbationTreeCount
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


def child_under(scope: Organization, org: Organization) -> Organization:
    """The organisation directly under `scope` that `org` lies in (`scope` itself for its own), by the
    parent links (not the paths the code reads)."""
    while org.pk != scope.pk and org.parent_id != scope.pk:
        org = org.parent
    return org


def by_child_oracle(scope: Organization, ctx) -> dict[str, tuple[Counter, int, int]]:
    """What `due._grouped` must give: per kind, the items of each organisation directly under `scope`
    (the scope's own beside them when it has any with items), how many, and the scope's total."""
    out = {}
    for key, counts in grouped_oracle(ctx).items():
        by = Counter()
        for org_id, n in counts.items():
            by[child_under(scope, Organization.objects.get(pk=org_id)).pk] += n
        if set(by) <= {scope.pk}:
            by = Counter()  # a scope without sub-organisations with items: no breakdown
        out[key] = (by, len(by), counts.total())
    return out


TODAY = date.today()
OPS = ["create", "create", "recognise", "move", "remove", "readmit", "dates", "death", "delete", "restore",
       "org_move", "org_move", "org_merge", "org_split", "org_dissolve"]
CELLS = ("cell", "grassroots_cell")


def _cells() -> list[Organization]:
    return list(Organization.objects.filter(kind__in=CELLS, valid_to__isnull=True).order_by("pk"))


def _write(world, made: list, gone: list, op: str, i: int, days: int) -> None:
    cells = _cells()
    start = TODAY - timedelta(days=days)
    if op.startswith("org_"):
        _tree(world, op, i, cells)
        return
    alive = [m for m in Member.objects.filter(pk__in=[m.pk for m in made]).order_by("pk")]
    if op == "create" or not alive:
        made.append(world.add(cells[i % len(cells)], f"Nguyễn Văn Dự {len(made)}", admitted=start, official=None))
        return
    m = alive[i % len(alive)]
    if op == "recognise":
        member_event_record(actor=None, member=m, kind="recognition", on=TODAY, decision_date=TODAY)
    elif op == "move":
        member_event_record(actor=None, member=m, kind="transfer_internal", on=TODAY, to_org=cells[i % len(cells)])
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


def _tree(world, op: str, i: int, cells: list[Organization]) -> None:
    """ORG-1/2/3 writes: a cell or a grassroots committee moved with its subtree, two cells merged
    (their members transferred), a cell split or dissolved (refused while it has members)."""
    committees = list(Organization.objects.filter(kind="grassroots_committee", valid_to__isnull=True).order_by("pk"))
    uppers = [Organization.objects.get(pk=world.root.pk), Organization.objects.get(pk=world.other.pk)]
    n = Organization.objects.count()
    plain = [c for c in cells if c.kind == "cell"]  # cells sit under grassroots committees
    if op == "org_move":
        if i % 2 and committees:  # a grassroots committee and its cells, to the other committee
            org = committees[i % len(committees)]
            org_move(actor=None, org=org, parent=uppers[1] if org.parent_id == uppers[0].pk else uppers[0], on=TODAY)
        elif plain:
            org = plain[i % len(plain)]
            others = [c for c in committees if c.pk != org.parent_id]
            if others:
                org_move(actor=None, org=org, parent=others[i % len(others)], on=TODAY)
    elif op == "org_merge":
        if len(plain) < 2:
            return
        a, b = plain[i % len(plain)], plain[(i + 1) % len(plain)]
        org_merge(actor=None, sources=[a, b], code=f"M{n}", name=f"Chi bộ hợp nhất {n}", kind="cell",
                  parent=committees[i % len(committees)], on=TODAY)
    elif op == "org_split":
        org_split(actor=None, source=cells[i % len(cells)], on=TODAY, parent=committees[i % len(committees)],
                  parts=[{"code": f"S{n}a", "name": f"Chi bộ tách {n}a", "kind": "cell"},
                         {"code": f"S{n}b", "name": f"Chi bộ tách {n}b", "kind": "cell"}])
    elif op == "org_dissolve":
        org_dissolve(actor=None, org=cells[i % len(cells)], on=TODAY)


def _scopes(world) -> list[Organization]:
    return [Organization.objects.get(pk=o.pk) for o in (world.root, world.a, world.c, world.a1, world.other)]


def _check_counts(world, shifts, horizon) -> None:
    assert kept.stored() == kept.grouped()
    assert kept.rebuild(dry_run=True) == 0
    for shift in shifts:
        for org in _scopes(world):
            ctx = due.context(org.path, TODAY + timedelta(days=shift), horizon)
            assert due._grouped(ctx) == by_child_oracle(org, ctx)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seeds=st.lists(st.integers(0, 560), min_size=1, max_size=6),
       ops=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 40), st.integers(0, 560)), max_size=25),
       shifts=st.lists(st.integers(-200, 200), min_size=1, max_size=3), horizon=st.sampled_from([0, 30, 60, 90]))
def test_random_member_and_tree_writes_keep_the_counts_and_the_summary_exact(tree, seeds, ops, shifts, horizon):
    """Random sequences of the member writers (admission, recognition, internal transfer, removal,
    re-admission, death, the dates corrected, the registry's delete and restore) and of the tree's
    (a cell or a grassroots committee moved, cells merged, split, dissolved; refusals included): the
    kept counts equal the members' grouped count rolled up the tree, and the page's counts — the
    scope's per kind, its children's — equal the old query's rolled up to the children, for the
    nation's root, two grassroots committees, a cell and another tree, on several days."""
    with transaction.atomic():
        made, gone = [], []
        for i, days in enumerate(seeds):  # probationary members in every part of the tree to begin with
            _write(tree, made, gone, "create", i, days)
        for op, i, days in ops:
            try:
                with transaction.atomic():
                    _write(tree, made, gone, op, i, days)
            except (InvalidInput, ProtectedError, mr.TransitionError):
                pass  # refused: nothing written
        _check_counts(tree, shifts, horizon)
        transaction.set_rollback(True)


def test_a_moved_subtree_takes_its_counts_along(tree):
    """A grassroots committee with probationary members moved to another committee: the old tree's
    counts drop, the new one's rise, the committee's own stay; without the hook they would not."""
    start = TODAY - timedelta(days=30)
    for k in range(3):
        tree.add(tree.a1, f"Dự Bị {k}", admitted=start, official=None)
    day = [(tree.root.pk, start), (tree.other.pk, start), (tree.a.pk, start)]
    before = {k: kept.stored().get(k, 0) for k in day}
    org_move(actor=None, org=Organization.objects.get(pk=tree.a.pk), parent=tree.other, on=TODAY)
    after = {k: kept.stored().get(k, 0) for k in day}
    assert (before[day[0]] - after[day[0]], after[day[1]] - before[day[1]], after[day[2]]) == (3, 3, 3)
    assert kept.stored() == kept.grouped()


def test_without_the_move_hook_the_counts_go_wrong(tree):
    """The property above fails when `org_move` does not move the counts (the hook removed)."""
    tree.add(tree.a1, "Dự Bị", admitted=TODAY - timedelta(days=30), official=None)
    with patch.object(paths, "_SUBTREE_HOOKS", []):
        org_move(actor=None, org=Organization.objects.get(pk=tree.a.pk), parent=tree.other, on=TODAY)
    assert kept.stored() != kept.grouped()
    assert kept.rebuild() > 0 and kept.stored() == kept.grouped()


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
    with pytest.raises(CommandError, match="3 số đếm đảng viên dự bị sai"):  # the cell, A, the root
        call_command("probationcounts", "--check")
    assert not ProbationTreeCount.objects.filter(organization=world.a1, day=start, n__gt=0).exists()
    call_command("probationcounts")
    assert "Đã tính lại: 3 số đếm được sửa" in capsys.readouterr().out
    call_command("probationcounts", "--check")
    assert [ProbationTreeCount.objects.get(organization=o, day=start).n for o in (world.a1, world.a, world.root)] \
        == [1, 1, 1]
