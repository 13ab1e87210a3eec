"""The tree selector (orgs.selectors.org_tree): every shown organisation carries the counts of its
whole subtree (the sum of the per-organisation counters, orgs.counts), whatever the tree's shape,
the viewer's place in it and the number of levels shown; and with a level limit it reads only the
shown organisations plus one aggregate (and its parents' paths)."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.accounts.services import account_create
from dangbo.orgs.models import Organization
from dangbo.orgs.selectors import org_tree

BIG_ID = 2_000_000  # seven-digit ids: paths whose segments are longer than six characters


def _org(i: int, parent, official: int, probationary: int, big: bool = False) -> Organization:
    """An organisation written directly (paths as orgs.services writes them), own counters set."""
    o = Organization(code=f"T{i}", name=f"Tổ chức {i}", kind="cell" if parent else "committee", parent=parent,
                     official_count=official, probationary_count=probationary, pk=BIG_ID + i if big else None)
    o.save()
    o.path = f"{parent.path if parent else ''}{o.pk:06d}/"
    o.depth = o.path.count("/") - 1
    o.save(update_fields=["path", "depth"])
    return o


def _expected(orgs, viewer, max_level):
    """What the page must show, computed the slow way: each organisation in the viewer's subtree (at
    most `max_level` levels down) with the sum of the own counters of everything under its path."""
    out = []
    for o in sorted(orgs, key=lambda o: o.path):
        level = o.depth - viewer.depth
        if not o.path.startswith(viewer.path) or (max_level is not None and level > max_level):
            continue
        under = [u for u in orgs if u.path.startswith(o.path)]
        out.append((o.path, level, sum(u.official_count for u in under), sum(u.probationary_count for u in under)))
    return out


node = st.tuples(st.integers(0, 10_000), st.integers(0, 60), st.integers(0, 9), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nodes=st.lists(node, min_size=0, max_size=25), pick=st.integers(0, 10_000),
       max_level=st.one_of(st.none(), st.integers(0, 4)))
def test_tree_counts_equal_subtree_sums(db, nodes, pick, max_level):
    with transaction.atomic():  # each example starts from an empty database
        orgs = [_org(0, None, 3, 1)]
        for i, (parent_pick, official, probationary, big) in enumerate(nodes, start=1):
            orgs.append(_org(i, orgs[parent_pick % len(orgs)], official, probationary, big))
        orgs.append(_org(900, None, 7, 7))  # another tree: never shown, never counted
        viewer = orgs[pick % (len(orgs) - 1)]
        user = account_create(actor=None, username="office", password="x", role="office", organization=viewer,
                              check_password=False)
        rows = org_tree(user=user, max_level=max_level)
        got = [(r["org"].path, r["level"], r["official"], r["probationary"]) for r in rows]
        assert got == _expected(orgs, viewer, max_level)
        transaction.set_rollback(True)


def test_limited_tree_reads_only_the_shown_levels(world):
    """A first-levels tree fetches the shown organisations and one aggregate of what is below,
    however many organisations lie deeper."""
    deep = world.a1
    for i in range(30):
        deep = _org(100 + i, deep, 1, 0)
    with CaptureQueriesContext(connection) as ctx:
        rows = org_tree(user=world.office, max_level=1)
    assert [(r["org"].code, r["official"], r["probationary"]) for r in rows] == [
        ("ROOT", 32, 1), ("A", 32, 0), ("B", 0, 1)]
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "orgs_organization"' in q["sql"]]
    rows_read = [sql for sql in reads if "SUM(" not in sql and '"orgs_organization"."id" IN' not in sql]
    assert len(reads) == 3 and len(rows_read) == 1  # the shown organisations, one sum by parent, their paths
    assert '"orgs_organization"."depth" <=' in rows_read[0]  # never every organisation of the subtree
