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
def test_demo_committee_is_built_through_the_services_and_idempotent(tmp_path):
    from dangbo.demo.plan import committee_plan, plan_members
    from dangbo.registry.models import ImportBatch, ReviewPair, SourceRecord

    today = date(2026, 11, 26)
    result = build_demo(seed=2025, today=today, rolls_dir=tmp_path)
    assert result.created
    data = _stats()
    assert data["grassroots"] == 12 and 2700 < data["members"] < 2900
    # the members came from the predecessor rolls written into tmp_path, merged and imported …
    assert result.rolls == tmp_path and {"phu-tho-cu.xlsx", "vinh-phuc.xlsx", "hoa-binh.csv", "bo-sung.csv"} <= {
        p.name for p in tmp_path.iterdir()}
    assert ImportBatch.objects.count() == len(result.imports) and result.imports[0]["merged_pairs"] > 100
    assert sum(b["persons"] for b in result.imports) == data["members"]
    # … and reproduce the demo registry person by person
    plan = committee_plan()
    members = {m.national_id: m for m in Member.objects.select_related("organization")}
    planned = plan_members(plan, seed=2025, today=today)
    assert len(members) == len(planned)
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
    again = build_demo(seed=2025, today=today, rolls_dir=tmp_path)
    assert not again.created and _stats() == data and ImportBatch.objects.count() == len(result.imports)
    assert [u for u, _, _ in again.logins] == ["vanphong", "bithu", "dangvien"]
