"""Fill the database named by DATABASE_URL with a large registry for benchmarks (not for tests).

    DATABASE_URL=sqlite:////tmp/bench1m.sqlite3 .venv/bin/dangbo migrate
    DATABASE_URL=sqlite:////tmp/bench1m.sqlite3 .venv/bin/python bench/generate.py --members 1000000 --orgs 5000

The tree: one root committee -> ~50 committees -> grassroots committees (40%) and grassroots cells
-> cells under the grassroots committees. Members sit in the cells (grassroots cells and cells).
Paths and depths are set the way orgs.services._set_path does; members get every derived column
members.services._apply_name sets, with names drawn from the demo generator's tables.

The search index (`members.NameKey`: one row per word start of each folded name) is written after
the members, the same raw way, then ANALYZEd with them.

Left out on purpose (not needed for search or the tree page): organisation and member events,
audit records, addresses and job details. Members are written with raw INSERTs (SQLite) or COPY
(PostgreSQL), since model instances cost more than the insert itself at a million rows; since that
bypasses members.services, the organisations' member counters are rebuilt at the end
(orgs.counts.counts_rebuild, as `dangbo recount` does).
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from functools import cache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from dangbo.accounts.services import account_create  # noqa: E402
from dangbo.demo import people  # noqa: E402
from dangbo.members.badgedays import badge_days_rebuild  # noqa: E402
from dangbo.members.models import Member, NameKey  # noqa: E402
from dangbo.members.search import keys_check, word_starts  # noqa: E402
from dangbo.orgs.counts import counts_rebuild  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.orgs.rules import KIND_LABELS  # noqa: E402
from dangbo.procedures.kept import rebuild as probation_rebuild  # noqa: E402
from dangbo.reports.tallies import tallies_rebuild  # noqa: E402
from dangbo.text import collation  # noqa: E402
from dangbo.text.collation import name_sort_string  # noqa: E402
from dangbo.text.vietnamese import fold, unify_tones  # noqa: E402

OFFICE_USER = "bench-office"
ADMIN_USER = "bench-admin"
BATCH = 20_000
TODAY = date(2025, 11, 1)
_ETHNICITY = people.ETHNICITY_WEIGHTS["Phú Thọ"]


def build_tree(n_orgs: int, rng: random.Random) -> tuple[Organization, list[Organization]]:
    """Create the organisations level by level; return the root and the member-holding cells."""
    d = date(2020, 1, 1)
    n_committees = max(1, min(50, (n_orgs - 1) // 20))
    rest = max(0, n_orgs - 1 - n_committees)
    n_grass = max(1, rest // 5)
    n_gc = max(1, n_grass * 2 // 5)  # grassroots committees; the rest of the grassroots are cells
    n_cells = max(0, rest - n_grass)

    def make(level, kind, prefix):
        objs = []
        for i, parent in enumerate(level):
            objs.append(Organization(code=f"{prefix}{i:05d}", kind=kind, parent=parent, valid_from=d,
                                     name=f"{KIND_LABELS[kind]} số {i + 1}"))
        objs = Organization.objects.bulk_create(objs, batch_size=1000)
        for o in objs:
            prefix_path = o.parent.path if o.parent is not None else ""
            o.path = f"{prefix_path}{o.pk:06d}/"
            o.depth = o.path.count("/") - 1
        Organization.objects.bulk_update(objs, ["path", "depth"], batch_size=1000)
        return objs

    root = make([None], "committee", "R")[0]
    root.name = "Đảng bộ Thử tải"
    root.save(update_fields=["name"])
    committees = make([root] * n_committees, "committee", "C")
    grass_parents = [committees[i % n_committees] for i in range(n_grass)]
    gcs = make(grass_parents[:n_gc], "grassroots_committee", "G")
    gcells = make(grass_parents[n_gc:], "grassroots_cell", "S")
    cells = make([gcs[rng.randrange(len(gcs))] for _ in range(n_cells)], "cell", "K")
    return root, gcells + cells


@cache
def _part(word: str) -> tuple[str, str]:
    """(folded, sort code) of one name part; name_sort_string is given + surname + middle codes."""
    return fold(word), collation._encode(collation.word_key(unify_tones(word)))


def derived(surname: str, middle: str, given: str) -> tuple[str, str, str, str]:
    """(full_name, name_folded, given_folded, name_sort), as members.services._apply_name sets them."""
    parts = [p for p in (surname, middle, given) if p]
    folded = " ".join(_part(p)[0] for p in parts)
    sort = _part(given)[1] + _part(surname)[1] + _part(middle)[1]
    return " ".join(parts), folded, _part(given)[0], sort


def check_derived(samples) -> None:
    """The cached parts must agree with the services' functions exactly."""
    for surname, middle, given in samples:
        full, folded, given_f, sort = derived(surname, middle, given)
        assert (folded, given_f) == (fold(full), fold(given)), full
        assert sort == name_sort_string(surname, middle, given), full


def member_rows(n: int, cells: list[Organization], rng: random.Random, start: int = 0):
    """Yield dicts of column values (only what differs from the field defaults)."""
    for i in range(start, start + n):
        org = cells[rng.randrange(len(cells))]
        sex = "F" if rng.random() < 0.42 else "M"
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(54 * 365))
        ethnicity = people._pick(rng, _ETHNICITY)
        surname, middle, given = people._draw_name(rng, sex, birth.year, ethnicity)
        full, folded, given_f, sort = derived(surname, middle, given)
        probationary = rng.random() < 0.06
        if probationary:
            admitted = TODAY - timedelta(days=rng.randrange(1, 360))
            official = None
        else:
            admitted = min(birth + timedelta(days=365 * rng.randint(22, 40)), TODAY - timedelta(days=400))
            official = admitted + timedelta(days=365)
        yield {
            "organization_id": org.pk, "org_path": org.path, "full_name": full, "surname": surname,
            "middle_name": middle, "given_name": given, "name_folded": folded, "given_folded": given_f,
            "name_sort": sort, "sex": sex, "birth_date": birth, "ethnicity": ethnicity,
            "national_id": people.national_id_for("Phú Thọ", sex, birth.year, i) if i < 1_000_000 else None,
            "admission_date": admitted, "official_date": official,
            "state": "probationary" if probationary else "official",
        }


def insert_members(n: int, cells: list[Organization], rng: random.Random) -> None:
    fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    table = Member._meta.db_table
    pg = connection.vendor == "postgresql"

    def as_tuple(row):
        values = []
        for f in fields:
            v = row.get(f.attname, defaults[f.attname])
            if not pg and isinstance(v, date):
                v = v.isoformat()
            elif not pg and isinstance(v, bool):
                v = int(v)
            values.append(v)
        return tuple(values)

    done, t0 = 0, time.perf_counter()
    while done < n:
        size = min(BATCH, n - done)
        rows = [as_tuple(r) for r in member_rows(size, cells, rng, start=done)]
        with transaction.atomic(), connection.cursor() as cur:
            if pg:
                with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        done += size
        print(f"  {done:>9,} members  {time.perf_counter() - t0:6.1f} s", file=sys.stderr, flush=True)


def insert_name_keys() -> int:
    """The search index rows of every member (what `Member.save` would have written), in batches."""
    table, pg = NameKey._meta.db_table, connection.vendor == "postgresql"
    columns = "member_id, key, name_sort, org_path"
    members = Member.objects.order_by("pk").values_list("pk", "name_folded", "name_sort", "org_path")
    done, t0, rows = 0, time.perf_counter(), []

    def flush():
        with transaction.atomic(), connection.cursor() as cur:
            if pg:
                with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                cur.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)", rows)

    for pk, folded, sort, path in members.iterator(chunk_size=BATCH):
        rows += [(pk, key, sort, path) for key in word_starts(folded)]
        if len(rows) >= BATCH * 3:
            flush()
            done += len(rows)
            rows = []
            print(f"  {done:>9,} name keys  {time.perf_counter() - t0:6.1f} s", file=sys.stderr, flush=True)
    flush()
    return done + len(rows)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--orgs", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if Organization.objects.exists() or Member.objects.exists():
        sys.exit("The database already has organisations; generate into a fresh, migrated database.")
    rng = random.Random(args.seed)
    check_derived(people._draw_name(random.Random(i), "MF"[i % 2], 1980, "Kinh") for i in range(2000))
    t0 = time.perf_counter()
    with transaction.atomic():
        root, cells = build_tree(args.orgs, rng)
    t_orgs = time.perf_counter() - t0
    print(f"{Organization.objects.count():,} organisations ({len(cells):,} cells) in {t_orgs:.1f} s",
          file=sys.stderr)
    insert_members(args.members, cells, rng)
    t_keys = time.perf_counter()
    n_keys = insert_name_keys()
    print(f"{n_keys:,} name keys in {time.perf_counter() - t_keys:.1f} s", file=sys.stderr)
    if args.members <= 20_000:  # a small run checks the index against the members (slow at 1 M)
        assert keys_check() == [], "name keys differ from what Member.save would write"
    t1 = time.perf_counter()
    counts_rebuild()  # the bulk insert bypasses members.services, which keep the counters
    tallies_rebuild()  # and the statistics' tallies (reports.tallies)
    probation_rebuild()  # and the MEM-1 counts by subtree and start day (procedures.kept)
    badge_days_rebuild()  # and the MEM-3 next-badge days (members.badgedays)
    print(f"organisation member counters rebuilt in {time.perf_counter() - t1:.1f} s", file=sys.stderr)
    account_create(actor=None, username=OFFICE_USER, password="bench-office-pw", role="office",
                   organization=root, check_password=False)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(ADMIN_USER, password="bench-admin-pw")
    t_ins = time.perf_counter() - t0
    with connection.cursor() as cur:  # planner statistics (and PostgreSQL's visibility map for
        # index-only scans), as autovacuum or a periodic ANALYZE would give after a bulk load
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    total = time.perf_counter() - t0
    print(f"done: {args.members:,} members, {args.orgs:,} organisations; insert {t_ins:.1f} s, "
          f"with (VACUUM) ANALYZE {total:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
