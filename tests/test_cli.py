"""The `dangbo` command line: stats --json, createuser, the console script.

The full demo build is tested in tests/ops/test_backup.py, which shares that one build with the
backup/restore round trip."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangbo.accounts.models import Account
from dangbo.audit.models import AuditEvent


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
    assert "backup" in r.stdout and "restore" in r.stdout
