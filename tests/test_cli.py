"""The `dangbo` command line: stats --json, createuser, demo (the demo committee end to end)."""

import json
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangbo.accounts.models import Account
from dangbo.audit.models import AuditEvent
from dangbo.demo.build import build_demo
from dangbo.members.models import Member
from dangbo.orgs.models import Organization


def _stats() -> dict:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_stats_json_fields(world):
    data = _stats()
    assert data["organizations"] == 7 and data["grassroots"] == 3  # A, B, X1
    assert (data["members"], data["official"], data["probationary"]) == (4, 3, 1)


def test_createuser(world):
    call_command("createuser", "bithu-b", "--role", "secretary", "--org", "B", "--password", "mot-mat-khau-dai")
    acc = Account.objects.get(user__username="bithu-b")
    assert acc.role == "secretary" and acc.organization == world.b
    assert AuditEvent.objects.filter(action="account.create", object_id=str(acc.pk)).exists()
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("createuser", "x", "--role", "secretary", "--org", "NOPE", "--password", "mot-mat-khau-dai")


def test_console_script_runs(tmp_path):
    env = {"DANGBO_VAR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "dangbo.cli", "help"], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and "stats" in r.stdout and "demo" in r.stdout


@pytest.mark.django_db
def test_demo_committee_is_built_through_the_services_and_idempotent():
    result = build_demo(seed=2025, today=date(2026, 11, 26))
    assert result.created
    data = _stats()
    assert data["grassroots"] == 12 and 2700 < data["members"] < 2900
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
    again = build_demo(seed=2025, today=date(2026, 11, 26))
    assert not again.created and _stats() == data
    assert [u for u, _, _ in again.logins] == ["vanphong", "bithu", "dangvien"]
