"""Backup and restore round trip of the full demo (built once for this module, committed, so pg_dump
and a second process see it), on SQLite and on PostgreSQL; refusal of a used database; the backup of
a SQLite database another thread keeps writing to.

The demo build test (moved here from tests/test_cli.py) shares the module's demo, so the full demo is
built once in the whole suite.
"""

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from datetime import date
from io import StringIO
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections

from dangbo.ops.backup import data_tables

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo committee, committed; the database is flushed when the module ends."""
    from dangbo.demo.build import build_demo

    rolls = tmp_path_factory.mktemp("rolls")
    with django_db_blocker.unblock():
        result = build_demo(seed=2025, today=TODAY, rolls_dir=rolls)
    yield result
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def demo_backup(demo, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("backup") / ("dangbo.sqlite3" if connection.vendor == "sqlite" else "dangbo.dump")
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("backup", str(path), stdout=out)
    assert "Đã sao lưu" in out.getvalue()
    return path


def _stats() -> dict:
    import json

    out = StringIO()
    call_command("stats", "--json", stdout=out)
    return json.loads(out.getvalue())


def _target_url(name: str, tmp_path) -> str:
    """DATABASE_URL of a fresh restore target of the engine under test."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / name}.sqlite3"
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{name}"))


@pytest.fixture
def fresh_database(tmp_path):
    """Names of empty databases for the test (PostgreSQL: created and dropped around the test)."""
    created = []

    def make(name: str) -> str:
        if connection.vendor == "postgresql":
            import psycopg

            with psycopg.connect(_target_url("postgres", tmp_path), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
        return _target_url(name, tmp_path)

    yield make
    if created:
        import psycopg

        with psycopg.connect(_target_url("postgres", tmp_path), autocommit=True) as admin:
            for name in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cli(*args, url: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DANGBO_VAR": str(tmp_path / "var")}
    return subprocess.run([sys.executable, "-m", "dangbo.cli", *args], capture_output=True, text=True, env=env)


def _wrapper(url: str):
    """A Django connection (same adapters as the test's) to the database at `url`, outside the registry."""
    import dj_database_url

    parsed = dj_database_url.parse(url)
    settings_dict = {**connection.settings_dict, "NAME": parsed["NAME"]}
    return type(connections["default"])(settings_dict, alias="restored")


def _snapshot(conn) -> dict[str, list[tuple]]:
    """Every row of every model's table (all apps, many-to-many tables included), by primary key."""
    qn = conn.ops.quote_name
    out = {}
    with conn.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy:
                continue
            columns = ", ".join(qn(f.column) for f in meta.local_concrete_fields)
            cursor.execute(f"SELECT {columns} FROM {qn(meta.db_table)} ORDER BY {qn(meta.pk.column)}")
            out[meta.db_table] = [tuple(row) for row in cursor.fetchall()]
    return out


def test_demo_committee_is_built_through_the_services_and_idempotent(demo, db, tmp_path):
    from dangbo.audit.models import AuditEvent
    from dangbo.demo.build import build_demo
    from dangbo.demo.plan import committee_plan, plan_members
    from dangbo.members.models import Member
    from dangbo.orgs.models import Organization
    from dangbo.registry.models import ImportBatch, ReviewPair, SourceRecord

    result = demo
    assert result.created
    data = _stats()
    assert data["grassroots"] == 12 and 2700 < data["members"] < 2900
    # the members came from the predecessor rolls written into the rolls folder, merged and imported …
    assert {"phu-tho-cu.xlsx", "vinh-phuc.xlsx", "hoa-binh.csv", "bo-sung.csv"} <= {p.name for p in result.rolls.iterdir()}
    assert ImportBatch.objects.count() == len(result.imports) and result.imports[0]["merged_pairs"] > 100
    assert sum(b["persons"] for b in result.imports) == data["members"]
    # … and reproduce the demo registry person by person
    plan = committee_plan()
    members = {m.national_id: m for m in Member.objects.select_related("organization") if m.national_id}
    planned = plan_members(plan, seed=2025, today=TODAY)
    assert len(members) == len(planned)
    # the demo's practice rows (a second roll without ID or card) wait in the review queue
    idless = set(Member.objects.filter(national_id__isnull=True).values_list("pk", flat=True))
    pairs = ReviewPair.objects.filter(status="open").values_list("record_a__member", "record_b__member")
    queued = {m for pair in pairs for m in pair}
    assert 0 < len(idless) and idless <= queued
    for mp in planned:
        p, m = mp.person, members[mp.person.national_id]
        assert (m.full_name, m.sex, m.birth_date, m.admission_date, m.official_date, m.organization.code,
                m.home_town, m.position) == (p.full_name, p.sex, p.birth_date, p.admission_date, p.official_date,
                                             mp.org_code, p.home_town, p.position)
    # no wrong merge: every source row belongs to the member with its ID; review pairs are in the queue
    rows = list(SourceRecord.objects.values_list("member__national_id", "data"))
    assert len(rows) == sum(b["rows"] for b in result.imports)
    assert all(nid == d["national_id"] for nid, d in rows)
    assert ReviewPair.objects.filter(status="open").count() == sum(b["review_pairs"] for b in result.imports)
    assert 0 < data["probationary"] < data["official"] and data["exempt"] > 0 and data["temporarily_away"] > 0
    root = Organization.objects.get(code="DBCQD-PT")
    found = root.events.get(kind="found")
    assert (found.decision_number, found.decision_date, found.date) == ("10-QĐ/TU", date(2025, 6, 26), date(2025, 7, 1))
    assert found.related.count() == 3 and all(o.valid_to == date(2025, 7, 1) for o in found.related.all())
    # every member's cached state is what the transition table makes of their events
    from dangbo.members.rules import replay

    for m in Member.objects.prefetch_related("events")[:300]:
        assert replay([(e.kind, e.details) for e in m.events.all()]) == (m.state, m.away)
    assert AuditEvent.objects.filter(action="member.create").count() == data["members"]
    again = build_demo(seed=2025, today=TODAY, rolls_dir=tmp_path)
    assert not again.created and _stats() == data and ImportBatch.objects.count() == len(result.imports)
    assert [u for u, _, _ in again.logins] == ["vanphong", "bithu", "dangvien", "kiemphieu1", "kiemphieu2"]


def test_demo_leaves_the_badge_days_and_the_name_index_exact(demo, db):
    """The demo build recomputes badge days once per block (members.badgedays.badge_days_batched) and
    skips unchanged name keys (members.search.keys_sync): both stored values are exact after it."""
    from dangbo.members.search import keys_check

    call_command("badgedays", "--check", stdout=StringIO())  # CommandError when a day is wrong
    assert keys_check() == []


def test_backup_is_owner_only_and_restores_every_row(demo_backup, db, tmp_path, fresh_database):
    assert stat.S_IMODE(demo_backup.stat().st_mode) == 0o600
    url = fresh_database("dangbo_restore_roundtrip")
    r = _cli("restore", str(demo_backup), url=url, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Đã khôi phục" in r.stdout
    source = _snapshot(connection)
    assert sum(map(len, source.values())) > 10_000 and set(data_tables()) <= set(source)
    restored = _wrapper(url)
    try:
        target = _snapshot(restored)
    finally:
        restored.close()
    for table, rows in source.items():
        assert target[table] == rows, f"table {table} differs after the round trip"


def test_restore_into_a_migrated_empty_database(demo_backup, db, tmp_path, fresh_database):
    """A database `dangbo migrate` (or `dangbo serve`) already set up, still without data, is empty."""
    url = fresh_database("dangbo_restore_migrated")
    assert _cli("migrate", "--noinput", "-v0", url=url, tmp_path=tmp_path).returncode == 0
    r = _cli("restore", str(demo_backup), url=url, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    restored = _wrapper(url)
    try:
        with restored.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM members_member")
            restored_members = cursor.fetchone()[0]
    finally:
        restored.close()
    from dangbo.members.models import Member

    assert restored_members == Member.objects.count() > 2700


def test_restore_refuses_a_used_database_and_leaves_it_unchanged(demo_backup, db, tmp_path, fresh_database):
    url = fresh_database("dangbo_restore_used")
    assert _cli("migrate", "--noinput", "-v0", url=url, tmp_path=tmp_path).returncode == 0
    r = _cli("shell", "-c", "from django.contrib.auth.models import User; User.objects.create_user('an', password='x')",
             url=url, tmp_path=tmp_path)  # one plain user: the database is now "used"
    assert r.returncode == 0, r.stderr
    used = _wrapper(url)
    before = _snapshot(used)
    used.close()
    r = _cli("restore", str(demo_backup), url=url, tmp_path=tmp_path)
    assert r.returncode != 0 and r.stdout == ""
    assert "đã có dữ liệu" in r.stderr and "auth_user" in r.stderr
    used = _wrapper(url)
    try:
        assert _snapshot(used) == before
    finally:
        used.close()


def test_restore_refuses_a_file_of_the_other_engine_or_not_a_backup(demo_backup, db, tmp_path, fresh_database):
    url = fresh_database("dangbo_restore_wrong")
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"PK\x03\x04 not a backup")
    r = _cli("restore", str(junk), url=url, tmp_path=tmp_path)
    assert r.returncode != 0 and "không phải bản sao lưu của dangbo" in r.stderr
    other = tmp_path / "other.bak"
    other.write_bytes(b"PGDMP\x01\x0f" if connection.vendor == "sqlite" else b"SQLite format 3\x00" + b"\0" * 100)
    r = _cli("restore", str(other), url=url, tmp_path=tmp_path)
    assert r.returncode != 0 and "chỉ khôi phục vào cơ sở dữ liệu cùng loại" in r.stderr
    r = _cli("restore", str(tmp_path / "missing.bak"), url=url, tmp_path=tmp_path)
    assert r.returncode != 0 and "Không tìm thấy tệp sao lưu" in r.stderr


def test_backup_refuses_to_overwrite_the_live_database(tmp_path):
    var = tmp_path / "var"
    r = _cli("backup", str(var / "dangbo.sqlite3"), url=f"sqlite:///{var / 'dangbo.sqlite3'}", tmp_path=tmp_path)
    assert r.returncode != 0 and "trùng với tệp cơ sở dữ liệu đang dùng" in r.stderr


def test_sqlite_backup_while_another_thread_writes_is_consistent(tmp_path):
    """`dangbo backup` (another process) copies a WAL database a writer keeps committing to: the copy
    passes integrity_check, holds whole transactions only (pairs of rows) and every row committed
    before the backup began — including those still in the -wal file, which a file copy misses."""
    db = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(db)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("PRAGMA wal_autocheckpoint=0")  # committed rows stay in the -wal file
    setup.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, amount INTEGER NOT NULL)")
    setup.commit()
    stop = threading.Event()
    written = {"batches": 0}

    def writer():
        w = sqlite3.connect(db, timeout=30, isolation_level=None)
        w.execute("PRAGMA wal_autocheckpoint=0")
        batch = 0
        while not stop.is_set():
            batch += 1
            w.execute("BEGIN IMMEDIATE")
            w.execute("INSERT INTO ledger (batch, amount) VALUES (?, ?)", (batch, 100))  # a transfer: -100 …
            w.execute("INSERT INTO ledger (batch, amount) VALUES (?, ?)", (batch, -100))  # … +100, together
            w.execute("COMMIT")
            written["batches"] = batch
        w.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written["batches"] < 200:
            threading.Event().wait(0.01)
        committed_before = written["batches"]
        assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0
        backups = []
        for i in range(3):  # several backups while the writer runs
            out = tmp_path / f"copy-{i}.sqlite3"
            r = _cli("backup", str(out), url=f"sqlite:///{db}", tmp_path=tmp_path)
            assert r.returncode == 0, r.stderr
            backups.append(out)
    finally:
        stop.set()
        thread.join()
    assert written["batches"] > committed_before
    for out in backups:
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert not (tmp_path / f"{out.name}-wal").exists()  # one self-contained file
        copy = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            batches, rows, total = copy.execute("SELECT COUNT(DISTINCT batch), COUNT(*), SUM(amount) FROM ledger").fetchone()
        finally:
            copy.close()
        assert rows == 2 * batches and total == 0  # whole transactions only
        assert batches >= committed_before  # nothing committed before the backup is missing
    setup.close()


def test_backup_command_errors_are_vietnamese(db, tmp_path):
    with pytest.raises(CommandError, match="Thư mục .* không tồn tại"):
        call_command("backup", str(tmp_path / "no-such-folder" / "x.sqlite3"))
