"""Reports read off a real streaming replica (issue 14): scripts/pg-test-replica starts a hot standby of
the test server (pg_basebackup -R); with the alias "replica" configured, as DATABASE_REPLICA_URL does,
the statistics read there and nothing else does; writes stay on the primary. PostgreSQL pass only."""

import os
import subprocess
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.db import connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dangbo.core.dbrouter import REPLICA, ReplicaRouter, reports_db
from dangbo.members.models import Member
from dangbo.members.services import member_event_record
from dangbo.reports import selectors

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                 reason="needs the PostgreSQL test server")]
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-test-replica"
REPLICA_PORT = int(os.environ.get("DANGBO_TEST_REPLICA_PORT", "54345"))


def _lsn(alias, sql):
    with connections[alias].cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


def _caught_up(timeout=60):
    # the insert position: the test server commits asynchronously, so the write position can still be
    # before the last commit record
    target = _lsn("default", "SELECT pg_current_wal_insert_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections[REPLICA].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cur.fetchone()[0]:
                return
        time.sleep(0.2)
    raise AssertionError("the replica did not catch up")


@pytest.fixture
def replica(transactional_db, world, settings):
    primary = connections["default"].settings_dict
    # not under pytest's tmp_path: the server runs as "postgres", which cannot enter root's folders
    folder = Path(tempfile.gettempdir()) / f"dangbo-replica-{uuid.uuid4().hex}"
    started = subprocess.run([str(SCRIPT), "start", str(primary["PORT"]), str(REPLICA_PORT), str(folder)],
                             capture_output=True, text=True, timeout=180)
    assert started.returncode == 0, started.stderr
    cfg = {**primary, "PORT": REPLICA_PORT, "TEST": {"MIRROR": "default"}}
    connections.settings[REPLICA] = cfg  # what settings.py does with DATABASE_REPLICA_URL
    # opened here, not lazily: the test case only allows lazy connections to the aliases it knew
    connections[REPLICA].connect()
    settings.DATABASE_ROUTERS = ["dangbo.core.dbrouter.ReplicaRouter"]
    try:
        yield world
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        connections.settings.pop(REPLICA, None)
        subprocess.run([str(SCRIPT), "stop", str(folder)], capture_output=True, timeout=60)


def test_reports_read_the_replica_and_writes_stay_on_the_primary(replica):
    w = replica
    assert reports_db() == REPLICA
    assert _lsn(REPLICA, "SELECT pg_is_in_recovery()") is True  # a real hot standby
    member_event_record(actor=None, member=w.lan, kind="death", on=date(2026, 3, 1))  # written on the primary
    _caught_up()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        report = selectors.members_report(w.a, date(2026, 3, 31))
    assert report["total"] == 1  # Hùng only: Lan's death came through the stream
    assert any("members_member" in q["sql"] for q in on_replica.captured_queries)
    assert not any("members_member" in q["sql"] for q in on_primary.captured_queries)
    assert router.db_for_write(Member) == "default" and ReplicaRouter().allow_migrate(REPLICA, "members") is False
    with pytest.raises(Exception, match="read-only"), connections[REPLICA].cursor() as cur:
        cur.execute("UPDATE members_member SET religion = 'x'")


def test_the_page_and_its_workbook_read_the_replica(replica):
    w = replica
    _caught_up()
    c = Client()
    c.force_login(w.office)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        r = c.get(f"/thong-ke/{w.root.id}/thong-ke.xlsx", {"ngay": "01/01/2026"})
    assert r.status_code == 200
    assert any("members_member" in q["sql"] for q in on_replica.captured_queries)
