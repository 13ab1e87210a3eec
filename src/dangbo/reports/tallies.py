"""Membership tallies kept exact (issue 14): today's statistics of a province or of the nation
without reading the member rows.

One `Tally` row per (organisation, dimension, value) holds how many counted members the
organisation's SUBTREE has with that value. Counted as MEM-5 and `dangbo stats` (Quy định
294-QĐ/TW §6.3.2): official and exempt members → state "official", probationary → "probationary",
at their permanent organisation only (`Member.organization`; a temporary host counts no one). A
member adds one to each dimension of `DIMS` at their organisation and at each of its ancestors (ids
read from the materialised path, "000001/000004/").

Writers keep the rows in the transaction of the change, reading the member's row before and after
(`member_tallied`), so a stale object in memory cannot make them drift: `members.services._record`
(every event: state, organisation, admission date) and `_member_update` (profile and dates), the
registry's member deletions and restorations, `orgs.services.org_move` (`tally_move`: the moved
subtree's rows leave the old ancestors and join the new). Several rows are written by one upsert,
keys in a fixed order, so concurrent writers lock them in the same order.

`tallies_rebuild` recomputes every row from the members (one INSERT … SELECT … GROUP BY per
dimension for the organisations' own members, then one per tree level adding each level to its
parents): `dangbo report tallies`, the data migration, bench/national_generate.py.

`report_tallied(org, day)` equals `selectors.report_current(org, day)` (exact when no event is dated
after `day`): a birth (admission) month gives the age (party-age) band on `day`, except the month in
which a band starts on that day; only the members born (admitted) in those months on one side of the
day's threshold are counted from the member rows, through the (birth_date, state, org_path) index.
(Months, not years: at 1 M members the boundary years took 150 ms of the nation's report on 2 July.)
"""

from __future__ import annotations

import calendar
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Value

from dangbo.core.dbrouter import reports_db
from dangbo.members.models import Member
from dangbo.members.rules import COUNTED_STATES
from dangbo.orgs.models import Organization
from dangbo.reports import rules
from dangbo.reports.models import Tally

#: Dimensions, with the member column each is read from.
DIMS: tuple[tuple[str, str], ...] = (
    ("state", "state"),
    ("sex", "sex"),
    ("birth_month", "birth_date"),
    ("admission_month", "admission_date"),
    ("ethnicity", "ethnicity"),
    ("religion", "religion"),
    ("education", "education"),
    ("professional_level", "professional_level"),
    ("political_theory_level", "political_theory_level"),
    ("national_id_digits", "national_id"),
)
#: Dimensions kept in today's tallies only, never in the monthly snapshots (`reports.snapshots`) nor in a
#: report: how many characters the member's ID number has («0» without one), read by the programme's
#: 12-digit ID measure (TGT-5, `programme.measures`), which counts the records as they stand now.
TODAY_ONLY = frozenset({"national_id_digits"})
#: Dimensions kept in the monthly snapshots only (`reports.snapshots.kept_months`): the day-exact birth
#: (admission) dates "YYYY-MM-DD" of the members born (admitted) in the months in which an age
#: (party-age) band starts on a day of the snapshot's month or of the next, so a past day near a
#: snapshot splits those months without reading member rows. {month dim: day dim}.
DAY_DIMS = {"birth_month": "birth_day", "admission_month": "admission_day"}
_COLUMNS = ("org_path", *(c for _d, c in DIMS))
_BREAKDOWN = {"ethnicity": "by_ethnicity", "religion": "by_religion", "education": "by_education",
              "professional_level": "by_professional_level", "political_theory_level": "by_theory_level"}
#: Band starts (full years) of the contract's age and party-age bands (`rules.AGE_BANDS` …).
AGE_STARTS, PARTY_STARTS = (31, 41, 51, 61), (10, 20, 30, 40)

Key = tuple  # (org_path, value of each dimension in DIMS order)


def _bucket(state: str) -> str:
    return "probationary" if state == "probationary" else "official"


def _month(day: date | None) -> str:
    return "" if day is None else f"{day.year:04d}-{day.month:02d}"


def _month_days(value: str) -> tuple[date, date]:
    """The first and last day of the month "YYYY-MM"."""
    y, m = int(value[:4]), int(value[5:7])
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _value(dim: str, v) -> str:
    if dim == "state":
        return _bucket(v)
    if dim.endswith("_month"):
        return _month(v)
    if dim == "national_id_digits":
        return str(len(v or ""))
    return v or ""


def _key(row: dict) -> Key:
    return (row["org_path"], *(_value(dim, row[column]) for dim, column in DIMS))


class Keys(list):
    """`member_keys`' answer: the keys of today's tallies, and in `past` the keys on each monthly
    snapshot's day ({snapshot id: keys}, `snapshots.past_keys`), which `tally_apply` also applies;
    in `snaps` the snapshots' list it was read with (`snapshots.snapshot_days`)."""

    past: dict
    snaps: list


def member_keys(pks: Iterable[int], snaps: list | None = None) -> Keys:
    """The tally keys of the counted members among `pks`, as their rows stand in the database (and
    their keys on each snapshot's day, replayed from their events as they stand); `snaps`: the
    snapshots' list when the caller read it already (the same write's keys before it)."""
    from dangbo.reports.snapshots import past_keys, snapshot_days

    pks = [pk for pk in pks if pk is not None]
    out = Keys(_keys_by_pk(pks).values())
    out.snaps = snapshot_days() if snaps is None else snaps
    out.past = past_keys(pks, out.snaps)
    return out


def _keys_by_pk(pks: Iterable[int]) -> dict[int, Key]:
    pks = [pk for pk in pks if pk is not None]
    out: dict[int, Key] = {}
    for i in range(0, len(pks), 500):  # SQLite's bound parameters
        rows = Member.objects.filter(pk__in=pks[i:i + 500], state__in=COUNTED_STATES).values("pk", *_COLUMNS)
        out.update((r["pk"], _key(r)) for r in rows)
    return out


def _ancestors(path: str) -> list[int]:
    return [int(part) for part in path.split("/") if part]


def _rows(key: Key, *, past: bool = False) -> Iterator[tuple[int, str, str]]:
    """The (organisation, dim, value) rows a member of `key` adds one to; `past`: a snapshot's rows
    (no `TODAY_ONLY` dimension)."""
    for org_id in _ancestors(key[0]):
        for (dim, _column), value in zip(DIMS, key[1:], strict=True):
            if not (past and dim in TODAY_ONLY):
                yield org_id, dim, value


#: The members a `tallies_batched` block touched, each with its tally key at its first touch (per
#: thread, as Django's connections are).
_batch = threading.local()


@contextmanager
def tallies_batched():
    """A bulk write (an import's chunk, the demo build): the tallies of the members it touches are
    written by one upsert when the outermost block ends, not one per member write.

    Why: PostgreSQL keeps every version of a row that a running transaction writes, and an upsert
    walks them. The root's and the province's rows change with every member, so in one long
    transaction each upsert got slower than the last (0.1–0.25 s each after a few thousand writes:
    the demo build took 1,034 s on PostgreSQL against 105 s on SQLite).

    Exact by construction: the block remembers each member's key at its first touch (the state the
    tallies hold) and, when it writes, reads the members' rows as they stand — so a write taken back
    by a savepoint inside the block, a member created and deleted in it, are all counted right. The
    block is its own atomic block. Readers of the tallies here (`report_tallied`, `tally_snapshot`,
    `tallies_rebuild`) write the pending members first; `orgs.services.org_move` does too, before it
    rewrites any path. Writers inside must use `member_tallied` / `tally_created`, never `tally_apply`."""
    if getattr(_batch, "touched", None) is not None:  # nested: the outermost block writes
        yield
        return
    with transaction.atomic():
        _batch.touched, _batch.past, _batch.snaps = {}, {}, None
        try:
            yield
            tallies_flush()
        finally:
            _batch.touched, _batch.past, _batch.snaps = None, {}, None


def _touched() -> dict | None:
    return getattr(_batch, "touched", None)


def _touch(pks: Iterable[int], *, created: bool = False) -> None:
    """Remember the keys of `pks` not yet touched in the block: today's, and on each monthly
    snapshot's day (`snapshots.past_keys`, summed over the block's members in `_batch.past`)."""
    from dangbo.reports.snapshots import past_keys, snapshot_days

    touched = _touched()
    new = [pk for pk in pks if pk is not None and pk not in touched]
    if new:
        keys = {} if created else _keys_by_pk(new)
        for pk in new:
            touched[pk] = keys.get(pk)
        if not created:
            if _batch.snaps is None:  # once per block until it writes
                _batch.snaps = snapshot_days()
            for sid, past in past_keys(new, _batch.snaps).items():
                _batch.past.setdefault(sid, []).extend(past)


def tallies_flush() -> None:
    """Write the tallies of the members a `tallies_batched` block touched so far (nothing outside one)."""
    touched = _touched()
    if not touched:
        return
    before, removed = dict(touched), Keys(k for k in touched.values() if k is not None)
    removed.past, _batch.past = _batch.past, {}
    snaps, _batch.snaps = _batch.snaps, None
    touched.clear()
    _apply(removed, member_keys(list(before), snaps))


def tally_apply(removed: Iterable[Key], added: Iterable[Key]) -> None:
    """Take the members `removed` out of the tallies and put `added` in (keys of `member_keys`).
    One upsert for every row whose count changes; nothing when the keys are the same. The same for
    the monthly snapshots with the keys' `past` (`Keys`; a plain list: none there). Not inside
    `tallies_batched` (its members would be counted twice): writers use `member_tallied`."""
    if _touched() is not None:
        raise RuntimeError("tally_apply inside tallies_batched: use member_tallied / tally_created")
    _apply(removed, added)


def _apply(removed: Iterable[Key], added: Iterable[Key]) -> None:
    deltas: Counter = Counter()
    for key in removed:
        for row in _rows(key):
            deltas[row] -= 1
    for key in added:
        for row in _rows(key):
            deltas[row] += 1
    _upsert(sorted((row, d) for row, d in deltas.items() if d))
    from dangbo.reports.snapshots import past_apply

    past_apply(getattr(removed, "past", {}), getattr(added, "past", {}))


def _upsert(changes: list[tuple[tuple[int, str, str], int]], chunk: int = 500) -> None:
    """`n += delta` for each (organisation, dim, value), inserting the rows not there yet. Hand-written
    SQL: Django's `bulk_create(update_conflicts=True)` sets `n = excluded.n`, it cannot add to it."""
    if not changes:
        return
    qn, table = connection.ops.quote_name, Tally._meta.db_table
    with connection.cursor() as cur:
        for i in range(0, len(changes), chunk):
            part = changes[i:i + chunk]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
            sql = (f"INSERT INTO {qn(table)} (organization_id, dim, value, n) VALUES {values} "
                   f"ON CONFLICT (organization_id, dim, value) DO UPDATE SET n = {qn(table)}.n + excluded.n")
            cur.execute(sql, [x for (org, dim, value), d in part for x in (org, dim, value, d)])


@contextmanager
def member_tallied(*pks: int):
    """Around a write that may change these members' organisation, state or profile: their tallies
    follow, in the same transaction (the rows are read before and after the write; inside
    `tallies_batched`, before the block's first write and when the block writes)."""
    if _touched() is not None:
        _touch(pks)
        yield
        return
    before = member_keys(pks)
    yield
    _apply(before, member_keys(pks, before.snaps))


def tally_created(*pks: int) -> None:
    """Members just inserted with their state (a registry restore): add them to the tallies."""
    if _touched() is not None:
        _touch(pks, created=True)
    else:
        _apply([], member_keys(pks))


def tally_move(org_id: int, old_path: str, new_path: str) -> None:
    """The organisation `org_id` moved from `old_path` to `new_path` with its whole subtree: its
    rows (the subtree's counts) leave the ancestors it left and join the ones it joined. Inside
    `tallies_batched`, `org_move` writes the pending members before it rewrites any path: written here,
    after the rewrite, they would be counted at their new ancestors twice."""
    if _touched():
        raise RuntimeError("tally_move with members pending: tallies_flush() before the paths change")
    old = set(_ancestors(old_path)) - {org_id}
    new = set(_ancestors(new_path)) - {org_id}
    mine = list(Tally.objects.filter(organization_id=org_id).exclude(n=0).values_list("dim", "value", "n"))
    changes = [((anc, dim, value), -n) for anc in old - new for dim, value, n in mine]
    changes += [((anc, dim, value), n) for anc in new - old for dim, value, n in mine]
    _upsert(sorted(changes))
    from dangbo.reports.snapshots import snapshots_move

    snapshots_move(org_id, old_path, new_path)


# --- rebuild --------------------------------------------------------------------------------------

def _month_sql(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"COALESCE(to_char({column}, 'YYYY-MM'), '')"
    return f"COALESCE(strftime('%%Y-%%m', {column}), '')"


def rebuild_sql(vendor: str, *, tally: str = "reports_tally", member: str = "members_member",
                org: str = "orgs_organization") -> list[tuple[str, list]]:
    """The statements of a rebuild (after emptying `tally`): the organisations' own members, one
    INSERT … SELECT … GROUP BY per dimension, then each tree level added to its parents, deepest first
    (the statements for levels are repeated by the caller for each depth)."""
    states = list(COUNTED_STATES)
    marks = ", ".join(["%s"] * len(states))
    out = []
    for dim, column in DIMS:
        if dim == "state":
            expr = "CASE WHEN state = 'probationary' THEN 'probationary' ELSE 'official' END"
        elif dim.endswith("_month"):
            expr = _month_sql(column, vendor)
        elif dim == "national_id_digits":
            expr = f"CAST(LENGTH(COALESCE({column}, '')) AS TEXT)"
        else:
            expr = f"COALESCE({column}, '')"
        out.append((f"INSERT INTO {tally} (organization_id, dim, value, n) SELECT organization_id, %s, {expr}, "
                    f"COUNT(*) FROM {member} WHERE state IN ({marks}) GROUP BY organization_id, {expr}",
                    [dim, *states]))
    return out


def level_sql(*, tally: str = "reports_tally", org: str = "orgs_organization", one_dim: bool = False) -> str:
    """Add the rows of the organisations at depth %s to their parents' rows (`one_dim`: only the
    dimension given as a second parameter)."""
    only = "AND t.dim = %s " if one_dim else ""
    return (f"INSERT INTO {tally} (organization_id, dim, value, n) SELECT o.parent_id, t.dim, t.value, SUM(t.n) "
            f"FROM {tally} t JOIN {org} o ON o.id = t.organization_id "
            f"WHERE o.depth = %s AND o.parent_id IS NOT NULL {only}GROUP BY o.parent_id, t.dim, t.value "
            f"ON CONFLICT (organization_id, dim, value) DO UPDATE SET n = {tally}.n + excluded.n")


def rebuild_dim_with(cursor, vendor: str, dim: str, **tables) -> None:
    """Write again one dimension's tallies from the member rows (a migration adding a dimension)."""
    tally, org = tables.get("tally", "reports_tally"), tables.get("org", "orgs_organization")
    if vendor == "postgresql":
        cursor.execute(f"LOCK TABLE {tally} IN EXCLUSIVE MODE")
    cursor.execute(f"DELETE FROM {tally} WHERE dim = %s", [dim])
    for sql, params in rebuild_sql(vendor, **tables):
        if params[0] == dim:
            cursor.execute(sql, params)
    cursor.execute(f"SELECT MAX(depth) FROM {org}")
    for depth in range((cursor.fetchone()[0] or 0), 0, -1):
        cursor.execute(level_sql(tally=tally, org=org, one_dim=True), [depth, dim])


def rebuild_with(cursor, vendor: str, **tables) -> None:
    """Empty the tallies and write them again from the member rows (tables named for a migration)."""
    tally, org = tables.get("tally", "reports_tally"), tables.get("org", "orgs_organization")
    if vendor == "postgresql":  # writers' upserts wait; a writer already holding rows finishes first
        cursor.execute(f"LOCK TABLE {tally} IN EXCLUSIVE MODE")
    cursor.execute(f"DELETE FROM {tally}")
    for sql, params in rebuild_sql(vendor, **tables):
        cursor.execute(sql, params)
    cursor.execute(f"SELECT MAX(depth) FROM {org}")
    deepest = cursor.fetchone()[0] or 0
    for depth in range(deepest, 0, -1):
        cursor.execute(level_sql(tally=tally, org=org), [depth])


def subtree_counts(org_ids: Iterable[int], dims: Iterable[str]) -> dict[int, Counter]:
    """{organisation id: Counter {(dim, value): n}}: today's tallies of the subtrees of `org_ids` for
    `dims`, read from their kept rows (one statement; the other apps' read of the tallies)."""
    tallies_flush()
    out: dict[int, Counter] = {}
    rows = Tally.objects.filter(organization_id__in=list(org_ids), dim__in=list(dims)).exclude(n=0).order_by()
    for org_id, dim, value, n in rows.values_list("organization_id", "dim", "value", "n"):
        out.setdefault(org_id, Counter())[(dim, value)] += n
    return out


def tally_snapshot() -> dict[tuple[int, str, str], int]:
    """Every non-zero row (tests and `dangbo report tallies --check`: a small database's check)."""
    tallies_flush()
    return {(o, d, v): n for o, d, v, n in Tally.objects.exclude(n=0).values_list("organization_id", "dim", "value", "n")}


@transaction.atomic
def tallies_rebuild(*, check: bool = False) -> int:
    """Rebuild every tally from the member rows; returns how many rows were wrong (compared only with
    `check`, which then writes nothing)."""
    tallies_flush()
    before = tally_snapshot() if check else None
    sid = transaction.savepoint()
    with connection.cursor() as cur:
        rebuild_with(cur, connection.vendor)
    if not check:
        transaction.savepoint_commit(sid)
        return 0
    after = tally_snapshot()
    transaction.savepoint_rollback(sid)
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))


# --- read -----------------------------------------------------------------------------------------

def _splits(day: date, starts: tuple[int, ...]) -> dict[str, date]:
    """{"YYYY-MM": threshold}: the months in which a band starting at `starts` years begins on `day`
    (born / admitted on or before the threshold → the older band)."""
    from dangbo.reports.selectors import _threshold

    return {_month(t): t for t in (_threshold(day, years) for years in starts)}


def _banded(months: Counter, splits: dict[str, date], older: dict[str, int], band, day: date) -> Counter:
    out: Counter = Counter()
    for value, n in months.items():
        if not value:
            out[rules.UNKNOWN] += n
            continue
        first, last = _month_days(value)
        if value in splits:
            out[band(first, day)] += older.get(value, 0)
            out[band(last, day)] += n - older.get(value, 0)
        else:  # no band starts within the month: every day of it gives the same band
            out[band(first, day)] += n
    return out


def _older_counts(org: Organization, wanted: list[tuple[str, str, date, int]], db: str) -> dict[tuple[str, str], int]:
    """For each (column, split month, threshold, the month's tally): how many members were born
    (admitted) that month on or before the threshold.

    One query: a UNION ALL of one COUNT per month over the shorter side of the threshold (before it;
    or after it, then the month's tally minus that), each an index-only range scan of (date, state,
    org_path). (An OR of the ranges made PostgreSQL read the member rows themselves; COUNT(*), not
    COUNT(id), keeps it in the index.)"""
    base = Member.objects.using(db).filter(state__in=COUNTED_STATES, org_path__startswith=org.path).order_by()
    parts, before = [], {}
    for i, (column, month, t, _n) in enumerate(wanted):
        start, end = _month_days(month)
        before[i] = (t - start) <= (end - t)
        rng = {f"{column}__range": (start, t)} if before[i] else {f"{column}__gt": t, f"{column}__lte": end}
        parts.append(base.filter(**rng).values(k=Value(i)).annotate(c=Count("*")))
    if not parts:
        return {}
    got = dict(parts[0].union(*parts[1:], all=True).values_list("k", "c")) if len(parts) > 1 else dict(
        parts[0].values_list("k", "c"))
    out = {}
    for i, (column, month, _t, n) in enumerate(wanted):
        c = got.get(i, 0)
        out[(column, month)] = c if before[i] else n - c
    return out


def fold(rows: Iterable[tuple[str, str, int]], day: date) -> tuple[dict, dict[str, Counter]]:
    """A report from (dim, value, n) rows of one organisation, its age and party-age bands left out:
    (report, {"birth_month" | "admission_month": Counter of the months}) for `add_bands`."""
    report = rules.composition((), day)
    months = {"birth_month": Counter(), "admission_month": Counter()}
    for dim, value, n in rows:
        if not n:
            continue
        if dim == "state":
            report["total"] += n
            report[value] += n
        elif dim == "sex":
            key = value if value in rules.SEXES else rules.UNKNOWN
            report["by_sex"][key] = report["by_sex"].get(key, 0) + n
        elif dim in months:
            months[dim][value] += n
        elif dim in TODAY_ONLY:
            continue
        else:
            name, key = _BREAKDOWN[dim], rules.value_key(value)
            report[name][key] = report[name].get(key, 0) + n
    return report, months


#: (month dim, member column, band starts, band rule, report key) of the two banded breakdowns.
BANDS = (("birth_month", "birth_date", AGE_STARTS, rules.age_band, "by_age_band"),
         ("admission_month", "admission_date", PARTY_STARTS, rules.party_age_band, "by_party_age_band"))


def band_splits(day: date) -> dict[str, dict[str, date]]:
    """{month dim: {"YYYY-MM": threshold}}: the months a band starts in on `day` (`_splits`)."""
    return {dim: _splits(day, starts) for dim, _c, starts, _b, _n in BANDS}


def add_bands(report: dict, months: dict[str, Counter], older: dict[tuple[str, str], int], day: date) -> None:
    """Put the months' counts into the age and party-age bands of `day`; `older[(column, month)]`: how
    many of a split month's members were born (admitted) on or before its threshold."""
    splits = band_splits(day)
    for dim, column, _starts, band, name in BANDS:
        split_older = {m: older[(column, m)] for m in splits[dim] if (column, m) in older}
        for key, n in _banded(months[dim], splits[dim], split_older, band, day).items():
            report[name][key] = report[name].get(key, 0) + n


def report_tallied(org: Organization, day: date) -> dict:
    """The statistics of `org`'s subtree on `day` from its tallies (exact when no event is dated after
    `day`, like `selectors.report_current`): the organisation's rows, and the members of the few
    boundary months read by index."""
    tallies_flush()
    db = reports_db()
    rows = Tally.objects.using(db).filter(organization=org).exclude(n=0).values_list("dim", "value", "n")
    report, months = fold(rows, day)
    splits = band_splits(day)
    wanted = [(column, month, t, months[dim][month]) for dim, column, _s, _b, _n in BANDS
              for month, t in splits[dim].items() if months[dim].get(month)]
    add_bands(report, months, _older_counts(org, wanted, db), day)
    return report
