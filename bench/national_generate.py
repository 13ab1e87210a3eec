"""Fill a fresh PostgreSQL database with a Party-sized registry (issue 14; not for tests).

    scripts/pg-test-server run 54344 -- sh -c 'export DATABASE_URL=postgres://postgres@127.0.0.1:54344/dangbo;
        .venv/bin/dangbo migrate -v0 && .venv/bin/python bench/national_generate.py --members 1000000'

The nation's shape at any size: the central root → 63 provinces → ~11 districts each (693) →
grassroots organisations (grassroots cells) holding members, one grassroots per 113 members on
average, so 5.9 M members give 52 k grassroots organisations, as the issue states. Members are
drawn by bench/generate.py's `member_rows` (names, sex, birth, admission, ethnicity, search index),
with a religion, education, professional and political-theory level added, and 2 % of them dead
(state "deceased"). Written by COPY (bench/generate.py), then their events by INSERT … SELECT in
the database: an admission for everyone, a recognition for the official, a death for the dead —
the history `reports.selectors.report_replayed` replays. Counters and the statistics' tallies
(`reports.tallies`) rebuilt, VACUUM ANALYZE.

Needs PostgreSQL (COPY). Size: about 1.1 GB of database per million members with indexes.
"""

import argparse
import os
import random
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(__file__))
import generate  # noqa: E402  (bench/generate.py: sets up Django)
from django.db import connection, transaction  # noqa: E402

from dangbo.accounts.services import account_create  # noqa: E402
from dangbo.members.badgedays import badge_days_rebuild  # noqa: E402
from dangbo.members.models import Member, MemberEvent  # noqa: E402
from dangbo.orgs.counts import counts_rebuild  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.procedures.kept import rebuild as probation_rebuild  # noqa: E402
from dangbo.reports.tallies import tallies_rebuild  # noqa: E402

PROVINCES, DISTRICTS_PER_PROVINCE, MEMBERS_PER_GRASSROOTS = 63, 11, 113
RELIGIONS = (("Không", 93), ("Phật giáo", 4), ("Công giáo", 2), ("Tin Lành", 1))
EDUCATION = (("12/12", 92), ("9/12", 7), ("10/10", 1))
PROFESSIONAL = (("Đại học", 55), ("Thạc sĩ", 12), ("Cao đẳng", 8), ("Trung cấp", 10), ("", 15))
THEORY = (("Sơ cấp", 55), ("Trung cấp", 30), ("Cao cấp", 10), ("Cử nhân", 1), ("", 4))


def _pick(rng, table):
    x, acc = rng.randrange(sum(w for _v, w in table)), 0
    for value, weight in table:
        acc += weight
        if x < acc:
            return value
    return table[-1][0]


def build_nation(n_grass: int) -> tuple[Organization, list[Organization], list[Organization]]:
    """Root → provinces → districts → grassroots cells; paths written as orgs.services does."""
    d = date(2020, 1, 1)

    def make(parents, kind, prefix, name):
        objs = [Organization(code=f"{prefix}{i:05d}", kind=kind, parent=p, valid_from=d, name=f"{name} số {i + 1}")
                for i, p in enumerate(parents)]
        objs = Organization.objects.bulk_create(objs, batch_size=2000)
        for o in objs:
            o.path = f"{o.parent.path if o.parent else ''}{o.pk:06d}/"
            o.depth = o.path.count("/") - 1
        Organization.objects.bulk_update(objs, ["path", "depth"], batch_size=2000)
        return objs

    root = make([None], "committee", "TW", "Đảng bộ Toàn quốc")[0]
    provinces = make([root] * PROVINCES, "committee", "T", "Đảng bộ tỉnh")
    districts = make([p for p in provinces for _ in range(DISTRICTS_PER_PROVINCE)], "committee", "H", "Đảng bộ huyện")
    grass = make([districts[i % len(districts)] for i in range(n_grass)], "grassroots_cell", "CS", "Chi bộ cơ sở")
    return root, provinces, grass


def member_rows(n, cells, rng, start=0):
    for row in _base_rows(n, cells, rng, start=start):
        row.update(religion=_pick(rng, RELIGIONS), education=_pick(rng, EDUCATION),
                   professional_level=_pick(rng, PROFESSIONAL), political_theory_level=_pick(rng, THEORY))
        if rng.random() < 0.02:
            row["state"] = "deceased"
        yield row


_base_rows = generate.member_rows
generate.member_rows = member_rows  # insert_members reads the module's name


def insert_events() -> int:
    """Admission, recognition and death events of every member, written by the database itself."""
    t = MemberEvent._meta.db_table
    m = Member._meta.db_table
    cols = "member_id, kind, date, from_org_id, place, decision_number, details, note, seq"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"INSERT INTO {t} ({cols}) SELECT id, 'admission', admission_date, organization_id, '', '', "
                    f"'{{}}'::jsonb, '', 0 FROM {m} WHERE admission_date IS NOT NULL")
        cur.execute(f"INSERT INTO {t} ({cols}) SELECT id, 'recognition', official_date, organization_id, '', '', "
                    f"'{{}}'::jsonb, '', 1 FROM {m} WHERE official_date IS NOT NULL")
        cur.execute(f"INSERT INTO {t} ({cols}) SELECT id, 'death', LEAST(DATE '2025-10-31', "
                    f"COALESCE(official_date, admission_date) + (id % 4000)::int), organization_id, '', '', "
                    f"'{{}}'::jsonb, '', 2 FROM {m} WHERE state = 'deceased'")
        cur.execute(f"SELECT count(*) FROM {t}")
        return cur.fetchone()[0]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args(argv)
    if connection.vendor != "postgresql":
        sys.exit("national_generate needs PostgreSQL (DATABASE_URL=postgres://…).")
    if Organization.objects.exists():
        sys.exit("The database already has organisations; generate into a fresh, migrated database.")
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    with transaction.atomic():
        root, provinces, grass = build_nation(max(1, args.members // MEMBERS_PER_GRASSROOTS))
    print(f"{Organization.objects.count():,} organisations ({len(grass):,} grassroots) "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    generate.insert_members(args.members, grass, rng)
    t = time.perf_counter()
    n_keys = generate.insert_name_keys()
    print(f"{n_keys:,} name keys in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = time.perf_counter()
    n_events = insert_events()
    print(f"{n_events:,} events in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    counts_rebuild()
    probation_rebuild()  # procedures.kept: MEM-1 counts by subtree and start day, kept by the member services
    t = time.perf_counter()
    n_badges = badge_days_rebuild()  # members.badgedays: MEM-3 next-badge days, kept by the member services
    print(f"{n_badges:,} next-badge days in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = time.perf_counter()
    tallies_rebuild()  # the COPY bypassed the member services, which keep the tallies
    print(f"tallies rebuilt in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    account_create(actor=None, username=generate.OFFICE_USER, password="bench-office-pw", role="office",
                   organization=root, check_password=False)
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(generate.ADMIN_USER, password="bench-admin-pw")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"done: {args.members:,} members, {len(grass):,} grassroots, {n_events:,} events "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
