"""Monthly snapshots of the membership tallies (issue 14): the statistics of a past day without
replaying every member.

A `Snapshot` of day S (a month's last day) holds `Tally`'s rows as they stood at the end of S, for the
organisations whose subtree counted at least `min_members` members when it was built (a marker row,
dim "", says which; a smaller one's past day is replayed: it is small). A member's standing on S is
the replay of their events (`rules.standing_on`, as `selectors.report_replayed`), counted with the
record's CURRENT profile values in the CURRENT tree, as the replay counts them. So what would change
the replay of S changes the snapshot, in the transaction of the write: `tallies.member_keys` also gives
each member's key on every snapshot's day and `tallies.tally_apply` applies the difference (a profile
or admission-date correction, an event recorded with a past date, a registry deletion or
restoration), and `tallies.tally_move` moves a subtree's counts in every snapshot.

Rows per organisation subtree (as `Tally`), not per grassroots: a province's or the nation's day then
reads one organisation's rows (a few thousand), not 52 k grassroots' rows summed; the price is the
moves (the moved subtree's rows leave its old ancestors and join the new, in each snapshot).

A past day D of organisation X (`report_past`): the reference R is, of the last snapshot before D
and the first on or after D that cover X (else today's tallies), the one with fewer events between it
and D (`_reference`: counted from the covering date index; a month's bulk of events lies on one side).
The members whose standing may differ between D and R — an event dated between them, or an admission
date (members loaded without events count from that date) — who were in X on either day are replayed
on both days and the difference applied to R's rows.
Ages and party ages: only the month in which a band starts on D is split. A snapshot keeps those
months day by day (`SnapshotDayTally`, `kept_months`: the months split on a day of its own month or of
the next), so when R keeps D's split months (a day next to a snapshot) they are R's day rows corrected
by the replayed members of the window, and no member row of those months is read; else as
`tallies.report_tallied`, by today's member index, corrected by the members of that month whose
standing differs between D and today (an event after D).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Q

from dangbo.core.dbrouter import reports_db
from dangbo.members.models import Member, MemberEvent
from dangbo.members.rules import COUNTED_STATES
from dangbo.orgs.models import Organization
from dangbo.reports import rules
from dangbo.reports.models import Snapshot, SnapshotDayTally, SnapshotTally, Tally
from dangbo.reports.selectors import by_ids, histories
from dangbo.reports.tallies import (
    BANDS,
    DAY_DIMS,
    DIMS,
    TODAY_ONLY,
    Key,
    _ancestors,
    _key,
    _month,
    _month_days,
    _older_counts,
    _rows,
    add_bands,
    band_splits,
    fold,
    tallies_flush,
)

#: The default of `dangbo report snapshots --min-members`: a subtree this small replays in well under
#: a second, a snapshot of it would cost rows in every month.
MIN_MEMBERS = 1000
CHUNK = 2000
#: Up to this many events after a day (or 100 per boundary member) are read whole — member ids from
#: the covering date index of reports 0004, 70,000 in 40 ms at 5.9 M — not by the boundary members'
#: ids (an index probe and the event rows per member: 65,000 members took minutes).
READ_ALL = 200_000


# --- a member's key on a day ----------------------------------------------------------------------

def _paths(got: dict, db: str, known: dict[int, str] | None = None) -> dict[int, str]:
    """{org id: path} of the organisations `got`'s members were in; `known`: the paths read for earlier
    chunks of the same read, kept and added to (only the ids not there yet are read)."""
    known = {} if known is None else known
    ids = {s.org_after for _row, steps in got.values() for s in steps} | {r["organization_id"] for r, _s in got.values()}
    missing = [i for i in ids if i is not None and i not in known]
    if missing:
        known.update(by_ids(Organization.objects.using(db), "pk", missing).order_by().values_list("pk", "path"))
    return known


def key_on(row: dict, steps: list[rules.Step], day: date | None, paths: dict[int, str]) -> Key | None:
    """The member's tally key at the end of `day` (replayed), None when not counted; `day` None: as
    the row stands (today's tallies)."""
    if day is None:
        return _key(row) if row["state"] in COUNTED_STATES else None
    st = rules.standing_on(steps, day)
    if not st.counted or st.org not in paths:
        return None
    return _key({**row, "org_path": paths[st.org], "state": st.state})


def _in(key: Key | None, org_id: int) -> bool:
    return key is not None and org_id in _ancestors(key[0])


@lru_cache(maxsize=64)
def kept_months(day: date) -> dict[str, frozenset[str]]:
    """{month dim: the months "YYYY-MM" whose members a snapshot of `day` keeps by day (`DAY_DIMS`)}:
    those in which a band starts on some day of `day`'s month or of the next month (`band_splits`), so
    that any day whose reference is this snapshot — the first on or after it, or the last before it,
    one month apart — finds its split months there."""
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    last = (nxt + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    out: dict[str, set[str]] = {dim: set() for dim in DAY_DIMS}
    d = first
    while d <= last:
        for dim, months in band_splits(d).items():
            out[dim].update(months)
        d += timedelta(days=1)
    return {dim: frozenset(months) for dim, months in out.items()}


def _day_values(row: dict, day: date) -> tuple[str, ...]:
    """The member's values of `DAY_DIMS` in a snapshot of `day`: the date when its month is kept, else ""."""
    kept = kept_months(day)
    out = []
    for dim, column, _s, _b, _n in BANDS:
        value = row[column]
        out.append(value.isoformat() if value is not None and _month(value) in kept[dim] else "")
    return tuple(out)


def past_key_on(row: dict, steps: list[rules.Step], day: date, paths: dict[int, str]) -> Key | None:
    """`key_on` with the `DAY_DIMS` values of a snapshot of `day` after it (`_past_rows`)."""
    k = key_on(row, steps, day, paths)
    return None if k is None else k + _day_values(row, day)


def _past_rows(key: Key):
    """The (organisation, dim, value) rows a member of `past_key_on`'s key adds one to in a snapshot."""
    n = len(DIMS) + 1
    days = [(DAY_DIMS[dim], v) for (dim, *_r), v in zip(BANDS, key[n:], strict=True) if v]
    for org_id, dim, value in _rows(key[:n], past=True):
        yield org_id, dim, value
        if dim == "state":
            for day_dim, v in days:
                yield org_id, day_dim, v


# --- kept exact by the writers --------------------------------------------------------------------

def snapshot_days() -> list[tuple[int, date]]:
    """[(snapshot id, day)]: read once per write (`tallies.member_tallied` passes the list read before
    the write to the read after it) or once per `tallies_batched` block."""
    return list(Snapshot.objects.values_list("pk", "day"))


def past_keys(pks: list[int], snaps: list[tuple[int, date]] | None = None) -> dict[int, list[Key]]:
    """{snapshot id: the keys of `pks` on its day} (nothing without snapshots), read in the writer's
    transaction; `snaps`: `snapshot_days()` when the caller has it already."""
    snaps = snapshot_days() if snaps is None else snaps
    if not snaps or not pks:
        return {sid: [] for sid, _d in snaps}
    got = histories(pks, "default")
    paths = _paths(got, "default")
    return {sid: [k for row, steps in got.values() if (k := past_key_on(row, steps, day, paths))] for sid, day in snaps}


_DAY_NAMES = frozenset(DAY_DIMS.values())


def _upsert(sid: int, changes: list[tuple[tuple[int, str, str], int]], chunk: int = 500) -> None:
    """`n += delta` in snapshot `sid` (hand-written for the same reason as `tallies._upsert`); the
    `DAY_DIMS` rows in `SnapshotDayTally`, the others in `SnapshotTally`."""
    days = [c for c in changes if c[0][1] in _DAY_NAMES]
    if days:
        changes = [c for c in changes if c[0][1] not in _DAY_NAMES]
        _upsert_into(SnapshotDayTally._meta.db_table, sid, days, chunk)
    _upsert_into(SnapshotTally._meta.db_table, sid, changes, chunk)


def _upsert_into(table: str, sid: int, changes: list[tuple[tuple[int, str, str], int]], chunk: int) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for i in range(0, len(changes), chunk):
            part = changes[i:i + chunk]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(part))
            cur.execute(f"INSERT INTO {qn(table)} (snapshot_id, organization_id, dim, value, n) VALUES {values} "
                        f"ON CONFLICT (snapshot_id, organization_id, dim, value) "
                        f"DO UPDATE SET n = {qn(table)}.n + excluded.n",
                        [x for (org, dim, value), d in part for x in (sid, org, dim, value, d)])


def _covered(sid: int, org_ids: Iterable[int]) -> set[int]:
    return set(SnapshotTally.objects.filter(snapshot_id=sid, dim="", organization_id__in=list(org_ids))
               .values_list("organization_id", flat=True))


def _apply(sid: int, deltas: Counter, covered: set[int] | None = None) -> None:
    changes = {row: d for row, d in deltas.items() if d}
    if not changes:
        return
    if covered is None:
        covered = _covered(sid, {org for org, _d, _v in changes})
    _upsert(sid, sorted((row, d) for row, d in changes.items() if row[0] in covered))


def past_apply(removed: dict[int, list[Key]], added: dict[int, list[Key]]) -> None:
    """Each snapshot: take the `removed` keys out, put the `added` in (its covered organisations)."""
    for sid in sorted(removed.keys() | added.keys()):
        deltas: Counter = Counter()
        for sign, keys in ((-1, removed.get(sid, ())), (1, added.get(sid, ()))):
            for key in keys:
                for row in _past_rows(key):
                    deltas[row] += sign
        _apply(sid, deltas)


def _subtree_counts(org: Organization, day: date, db: str = "default") -> Counter:
    """{(dim, value): n} of `org`'s subtree at the end of `day`, replayed (a small subtree)."""
    ids = Organization.objects.using(db).filter(path__startswith=org.path).values("pk")
    ev = MemberEvent.objects.using(db).filter(Q(from_org__in=ids) | Q(to_org__in=ids)).order_by().values_list(
        "member_id", flat=True)
    pks = set(Member.objects.using(db).filter(org_path__startswith=org.path).values_list("pk", flat=True)) | set(ev)
    out: Counter = Counter()
    for part in _chunks(sorted(pks)):
        got = histories(part, db)
        paths = _paths(got, db)
        for row, steps in got.values():
            k = past_key_on(row, steps, day, paths)
            if _in(k, org.pk):
                out.update((d, v) for o, d, v in _past_rows(k) if o == org.pk)
    return out


def snapshots_move(org_id: int, old_path: str, new_path: str) -> None:
    """`tallies.tally_move` in every snapshot: the moved subtree's counts on the snapshot's day leave
    the ancestors it left and join the ones it joined (its own rows, or its replay if not covered)."""
    old = set(_ancestors(old_path)) - {org_id}
    new = set(_ancestors(new_path)) - {org_id}
    if old == new:
        return
    org = Organization.objects.get(pk=org_id)
    for sid, day in Snapshot.objects.values_list("pk", "day"):
        if _covered(sid, [org_id]):
            mine = Counter({(d, v): n for d, v, n in SnapshotTally.objects.filter(snapshot_id=sid, organization_id=org_id)
                            .exclude(dim="").values_list("dim", "value", "n")})
            mine.update({(d, v): n for d, v, n in SnapshotDayTally.objects.filter(snapshot_id=sid, organization_id=org_id)
                         .values_list("dim", "value", "n")})
        else:
            mine = _subtree_counts(org, day)
        deltas: Counter = Counter()
        for (dim, value), n in mine.items():
            for anc in old - new:
                deltas[(anc, dim, value)] -= n
            for anc in new - old:
                deltas[(anc, dim, value)] += n
        _apply(sid, deltas)


# --- build and check ------------------------------------------------------------------------------

def _chunks(pks: list[int], size: int = CHUNK):
    for i in range(0, len(pks), size):
        yield pks[i:i + size]


def _changed(lo: date, hi: date | None, db: str) -> list[int]:
    """Every member whose standing may differ between the ends of `lo` and `hi` (None: as the rows
    stand): an event dated in (lo, hi], or an admission date in it."""
    ev, adm = MemberEvent.objects.using(db).filter(date__gt=lo), Member.objects.using(db).filter(admission_date__gt=lo)
    if hi is not None:
        ev, adm = ev.filter(date__lte=hi), adm.filter(admission_date__lte=hi)
    return sorted(set(ev.order_by().values_list("member_id", flat=True).distinct()) | set(adm.values_list("pk", flat=True)))


def _diff(pks: list[int], day: date, ref: date | None, db: str, covered: set[int]) -> Counter:
    """{(org, dim, value): n}: the members `pks` on `day` minus the same on `ref` (None: today's rows),
    for the `covered` organisations."""
    deltas: Counter = Counter()
    for part in _chunks(pks):
        got = histories(part, db)
        paths = _paths(got, db)
        for row, steps in got.values():
            for sign, k in ((1, key_on(row, steps, day, paths)), (-1, key_on(row, steps, ref, paths))):
                if k is not None:
                    for r in _rows(k, past=True):
                        if r[0] in covered:
                            deltas[r] += sign
    return deltas


def _copy_rows(cur, sid: int, ref: Snapshot | None, min_members: int) -> None:
    qn = connection.ops.quote_name
    snap, tally = qn(SnapshotTally._meta.db_table), qn(Tally._meta.db_table)
    if ref is not None:
        cur.execute(f"INSERT INTO {snap} (snapshot_id, organization_id, dim, value, n) SELECT %s, organization_id, "
                    f"dim, value, n FROM {snap} WHERE snapshot_id = %s AND (n <> 0 OR dim = '')", [sid, ref.pk])
        return
    covered = (f"SELECT organization_id FROM {tally} WHERE dim = 'state' GROUP BY organization_id "
               f"HAVING SUM(n) >= %s")
    cur.execute(f"INSERT INTO {snap} (snapshot_id, organization_id, dim, value, n) SELECT %s, organization_id, "
                f"dim, value, n FROM {tally} WHERE n <> 0 AND dim NOT IN ({', '.join(['%s'] * len(TODAY_ONLY))}) "
                f"AND organization_id IN ({covered})", [sid, *sorted(TODAY_ONLY), min_members])
    cur.execute(f"INSERT INTO {snap} (snapshot_id, organization_id, dim, value, n) SELECT %s, organization_id, "
                f"'', '', 0 FROM ({covered}) c", [sid, min_members])


def month_ends(months: int, today: date) -> list[date]:
    """The last days of the `months` months before `today`'s month."""
    out, first = [], today.replace(day=1)
    for _ in range(months):
        last = date.fromordinal(first.toordinal() - 1)
        out.append(last)
        first = last.replace(day=1)
    return out


def snapshots_build(days: Iterable[date], *, min_members: int = MIN_MEMBERS) -> list[date]:
    """Write the snapshots of `days` not written yet, latest first: each from the next later snapshot
    (or today's tallies) and the members whose standing differs between the two days. Returns the
    days written. A writer's transaction on the members waits for nothing here but the rows it locks."""
    tallies_flush()  # a bulk write's pending members first (tallies.tallies_batched)
    written = []
    for day in sorted(set(days) - set(Snapshot.objects.values_list("day", flat=True)), reverse=True):
        with transaction.atomic():
            ref = Snapshot.objects.filter(day__gt=day).order_by("day").first()
            snap = Snapshot.objects.create(day=day, min_members=ref.min_members if ref else min_members)
            with connection.cursor() as cur:
                _copy_rows(cur, snap.pk, ref, snap.min_members)
            covered = set(SnapshotTally.objects.filter(snapshot=snap, dim="").values_list("organization_id", flat=True))
            hi = ref.day if ref else None
            _apply(snap.pk, _diff(_changed(day, hi, "default"), day, hi, "default", covered), covered)
            _apply(snap.pk, _day_counts(day, "default", covered), covered)
        written.append(day)
    return written


def _kept_members(day: date, db: str) -> list[int]:
    """Every member (any state) born or admitted in a month a snapshot of `day` keeps by day: one
    index range per month (birth_date, admission_date)."""
    kept, out = kept_months(day), set()
    for dim, column, _s, _b, _n in BANDS:
        for month in sorted(kept[dim]):
            out.update(Member.objects.using(db).filter(**{f"{column}__range": _month_days(month)}).order_by()
                       .values_list("pk", flat=True))
    return sorted(out)


def _day_counts(day: date, db: str, covered: set[int]) -> Counter:
    """The `DAY_DIMS` rows of a snapshot of `day`: the kept months' members replayed on `day`."""
    deltas: Counter = Counter()
    for part in _chunks(_kept_members(day, db)):
        got = histories(part, db)
        paths = _paths(got, db)
        for row, steps in got.values():
            k = past_key_on(row, steps, day, paths)
            if k is not None:
                deltas.update(r for r in _past_rows(k) if r[1] in _DAY_NAMES and r[0] in covered)
    return deltas


def snapshots_fill_days(db: str = "default") -> list[date]:
    """Write the `DAY_DIMS` rows of the snapshots that have none (written before they existed:
    reports migration 0006). Returns their days."""
    done = set(SnapshotDayTally.objects.using(db).values_list("snapshot_id", flat=True).distinct())
    out = []
    for sid, day in Snapshot.objects.using(db).exclude(pk__in=done).order_by("day").values_list("pk", "day"):
        covered = set(SnapshotTally.objects.using(db).filter(snapshot_id=sid, dim="")
                      .values_list("organization_id", flat=True))
        _apply(sid, _day_counts(day, db, covered), covered)
        out.append(day)
    return out


def snapshots_check() -> int:
    """How many snapshot rows differ from the replay of every member on its day (a small database's
    check: `dangbo report snapshots --check`)."""
    tallies_flush()  # a bulk write's pending members first (tallies.tallies_batched)
    wrong = 0
    pks = sorted(Member.objects.values_list("pk", flat=True))
    for sid, day in Snapshot.objects.values_list("pk", "day"):
        covered = set(SnapshotTally.objects.filter(snapshot_id=sid, dim="").values_list("organization_id", flat=True))
        want: Counter = Counter()
        for part in _chunks(pks):
            got = histories(part, "default")
            paths = _paths(got, "default")
            for row, steps in got.values():
                k = past_key_on(row, steps, day, paths)
                if k is not None:
                    want.update(r for r in _past_rows(k) if r[0] in covered)
        have = {(o, d, v): n for table in (SnapshotTally, SnapshotDayTally)
                for o, d, v, n in table.objects.filter(snapshot_id=sid).exclude(dim="").exclude(n=0)
                .values_list("organization_id", "dim", "value", "n")}
        want = {k: n for k, n in want.items() if n}
        wrong += sum(1 for k in have.keys() | want.keys() if have.get(k) != want.get(k))
    return wrong


# --- read -----------------------------------------------------------------------------------------

#: A window's members not touching the subtree by their events, and its members admitted in the window,
#: are found by one index-only scan of the subtree's members (reports 0007's (org_path, id) INCLUDE
#: (admission_date) index: ≈ 0.1 M entries of a province, 40–60 ms at 5.9 M) against the window's
#: events hashed, when the subtree has fewer than this many members per event of the window; by id
#: otherwise (an index probe and a heap read each: ≈ 11–28 µs).
BY_PATH = 20


def _window(org: Organization, lo: date, hi: date | None, db: str, size: int | None = None) -> set[int]:
    """The members of `_changed(lo, hi)` who were in `org`'s subtree on either day: an event of the
    window from or to one of its organisations, or in it now (and an event in the window, or admitted
    in it). Each read driven by an index: the events by date, the members by id in chunks (one query
    joining the two made PostgreSQL scan every member: 4 s of the nation's day), or, `size` (about how
    many members the subtree has) being small against the window, the subtree's scan of `BY_PATH`."""
    ids = Organization.objects.using(db).filter(path__startswith=org.path).values("pk")
    ev = MemberEvent.objects.using(db).filter(date__gt=lo).order_by()
    admitted = Q(admission_date__gt=lo) if hi is None else Q(admission_date__gt=lo, admission_date__lte=hi)
    if hi is not None:
        ev = ev.filter(date__lte=hi)
    out = set(ev.filter(Q(from_org__in=ids) | Q(to_org__in=ids)).values_list("member_id", flat=True).distinct())
    members = Member.objects.using(db).filter(org_path__startswith=org.path).order_by()
    if _by_path(ev, size):
        out.update(members.filter(Q(pk__in=ev.values("member_id")) | admitted).values_list("pk", flat=True))
        return out
    for part in _chunks(sorted(set(ev.values_list("member_id", flat=True)) - out)):
        out.update(by_ids(Member.objects.using(db), "pk", part).filter(org_path__startswith=org.path).order_by()
                   .values_list("pk", flat=True))
    out.update(members.filter(admitted).values_list("pk", flat=True))
    return out


def _by_path(events, size: int | None) -> bool:
    """Whether `_window` finds the members of `events` in the subtree of `size` members by the
    semi-join (the events outnumber size / `BY_PATH`; counted up to that)."""
    return size is not None and events[:size // BY_PATH + 1].count() > size // BY_PATH


def _boundary(org: Organization, ranges: Q, day: date, db: str) -> set[int]:
    """The members born (admitted) in the split months whose standing may differ between `day` and
    today (an event after `day`, or admitted after it) and who were in `org`'s subtree on either day.
    Driven by the months' index ranges, then the events of those members by `member_id` (one query
    with EXISTS made PostgreSQL scan every member: 12 s for a province at 5.9 M)."""
    rows = (Member.objects.using(db).filter(ranges, org_path__startswith=org.path).order_by()
            .values_list("pk", "admission_date"))
    out, now_in = set(), []
    for pk, admitted in rows:
        if admitted is not None and admitted > day:
            out.add(pk)
        else:
            now_in.append(pk)
    events = MemberEvent.objects.using(db).filter(date__gt=day).order_by()
    if events.count() <= max(READ_ALL, 100 * len(now_in)):  # read them all: the date index covers them
        later = set(events.values_list("member_id", flat=True))
        out.update(pk for pk in now_in if pk in later)
    else:  # the months' members' events, by member id
        for part in _chunks(now_in):
            out.update(events.filter(member_id__in=part).values_list("member_id", flat=True).distinct())
    # moved out of the subtree since `day`: the replay changes a member's organisation only by an
    # internal transfer, from the organisation they were in (`selectors.histories`)
    ids = Organization.objects.using(db).filter(path__startswith=org.path).values("pk")
    moved = list(events.filter(kind="transfer_internal", from_org__in=ids).values_list("member_id", flat=True).distinct())
    for part in _chunks(moved):
        out.update(Member.objects.using(db).filter(ranges, pk__in=part).order_by().values_list("pk", flat=True))
    return out


def _reference(org: Organization, day: date, db: str) -> tuple[int | None, date | None]:
    """The snapshot to start `day` from: of the nearest covering `org` before `day` and the first on
    or after it (else today's tallies), the one with fewer events in between (the members to replay;
    counted by the date index, up to the other side's count)."""
    covering = SnapshotTally.objects.using(db).filter(organization=org, dim="")
    after = (covering.filter(snapshot__day__gte=day).order_by("snapshot__day")
             .values_list("snapshot_id", "snapshot__day").first()) or (None, None)
    before = (covering.filter(snapshot__day__lt=day).order_by("-snapshot__day")
              .values_list("snapshot_id", "snapshot__day").first())
    if before is None or after[1] == day:
        return after
    events = MemberEvent.objects.using(db).order_by()
    later = events.filter(date__gt=day) if after[1] is None else events.filter(date__gt=day, date__lte=after[1])
    earlier = events.filter(date__gt=before[1], date__lte=day)
    # counted up to a doubling limit, so that a bulk of events on the far side is not counted whole
    # (1.05 M events of one day: 130–200 ms); at most ≈ 8 times the nearer side's events are read
    limit = 4096
    while True:
        n_before, n_after = earlier[:limit].count(), later[:limit].count()
        if n_before < limit or n_after < limit:
            return before if n_before < n_after else after
        limit *= 2


def report_past(org: Organization, day: date) -> dict:
    """The statistics of `org`'s subtree at the end of `day`, equal to `selectors.report_replayed`:
    the reference (a snapshot on or after `day`, else today's tallies) and the members whose standing
    differs between the two days. The band-boundary months: from the snapshot's day-exact rows when it
    keeps them (`kept_months`: a day of its month or of the next), else as `tallies.report_tallied`
    (today's member index, corrected by those months' members whose standing changed after `day`)."""
    tallies_flush()  # a bulk write's pending members first (tallies.tallies_batched)
    db = reports_db()
    sid, ref = _reference(org, day, db)
    if sid is not None:
        rows = SnapshotTally.objects.using(db).filter(snapshot_id=sid, organization=org).exclude(dim="")
    else:
        rows = Tally.objects.using(db).filter(organization=org)
    counts = Counter({(d, v): n for d, v, n in rows.exclude(n=0).values_list("dim", "value", "n")})
    size = sum(n for (d, _v), n in counts.items() if d == "state")
    splits = band_splits(day)
    split_ranges = _split_ranges(splits)
    kept = sid is not None and all(set(splits[dim]) <= kept_months(ref)[dim] for dim in DAY_DIMS)
    if kept:
        boundary: set[int] = set()
    else:  # the split months' members whose standing differs between `day` and today
        ranges = Q(pk__in=[])
        for column, _m, first, t in split_ranges:
            ranges |= Q(**{f"{column}__range": (first, t)})
        boundary = _boundary(org, ranges, day, db)
    if ref == day:
        window: set[int] = set()
    else:
        window = (_window(org, ref, day, db, size) if ref is not None and ref < day
                  else _window(org, day, ref, db, size))
    names = [d for d, _c in DIMS]
    older_fix: Counter = Counter()
    # many members (the nation's day): every organisation's path in one read, not per chunk (the
    # nation on 15/10/2025, 15,000 members in 8 chunks: their paths by id lists cost ≈ 0.3 s of CPU)
    paths = dict(Organization.objects.using(db).order_by().values_list("pk", "path")) if len(
        window | boundary) > 4 * CHUNK else {}
    for part in _chunks(sorted(window | boundary)):
        got = histories(part, db)
        _paths(got, db, paths)
        for pk, (row, steps) in got.items():
            on_day = key_on(row, steps, day, paths)
            if pk in window:
                for sign, k in ((1, on_day), (-1, key_on(row, steps, ref, paths))):
                    if _in(k, org.pk):
                        for dv in zip(names, k[1:], strict=True):
                            counts[dv] += sign
                        if kept:  # the split months' day-exact counts move with the member too
                            _split_add(older_fix, row, split_ranges, sign)
            if pk in boundary:
                fix = _in(on_day, org.pk) - _in(key_on(row, steps, None, paths), org.pk)
                if fix:
                    _split_add(older_fix, row, split_ranges, fix)
    report, months = fold(((d, v, n) for (d, v), n in counts.items()), day)
    if kept:  # the snapshot's day-exact rows of the split months, up to each threshold
        day_dim = {column: DAY_DIMS[dim] for dim, column, _s, _b, _n in BANDS}
        by_day = list(SnapshotDayTally.objects.using(db).filter(snapshot_id=sid, organization=org).exclude(n=0)
                      .values_list("dim", "value", "n"))
        older = {(column, month): sum(n for d, v, n in by_day
                                      if d == day_dim[column] and first.isoformat() <= v <= t.isoformat())
                 for column, month, first, t in split_ranges}
    else:
        today_n = _month_totals(org, splits, db)
        wanted = [(column, month, t, today_n.get((dim, month), 0)) for dim, column, _s, _b, _n in BANDS
                  for month, t in splits[dim].items()]
        older = _older_counts(org, [w for w in wanted if w[3]], db)
    for dim, column, _s, _b, _n in BANDS:
        for month in splits[dim]:
            older[(column, month)] = older.get((column, month), 0) + older_fix[(column, month)]
    add_bands(report, months, older, day)
    return report


def _split_ranges(splits: dict[str, dict[str, date]]) -> list[tuple[str, str, date, date]]:
    """[(column, month, its first day, threshold)] of `band_splits`' months."""
    return [(column, month, _month_days(month)[0], t) for dim, column, _s, _b, _n in BANDS
            for month, t in splits[dim].items()]


def _split_add(out: Counter, row: dict, ranges: list[tuple[str, str, date, date]], n: int) -> None:
    """`out[(column, month)] += n` for the split month (if any) in which the member was born (admitted)
    on or before its threshold (`_split_ranges`)."""
    for column, month, first, t in ranges:
        value = row[column]
        if value is not None and first <= value <= t:
            out[(column, month)] += n


def _month_totals(org: Organization, splits: dict[str, dict[str, date]], db: str) -> dict[tuple[str, str], int]:
    """Today's tallies of `org` for the split months: {(dim, month): n}."""
    q = Q(pk__in=[])
    for dim, months in splits.items():
        q |= Q(dim=dim, value__in=list(months))
    return {(d, v): n for d, v, n in Tally.objects.using(db).filter(q, organization=org).values_list("dim", "value", "n")}
