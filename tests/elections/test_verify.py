"""The ballots exported from a closed round are what `dangbo election verify` reads: it accepts the
export with the minutes' fingerprint and re-tallies it to the same result; an altered row, a row
removed at the end or a forged fingerprint is refused (exit status 2)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.elections.test_views import client_for


@pytest.fixture
def exported(closed, hall, tmp_path):
    office = client_for(hall.world.office)
    ballots = tmp_path / "phieu.csv"
    ballots.write_bytes(office.get(f"/bau-cu/{closed.id}/phieu.csv").content)
    cands = tmp_path / "ung-vien.csv"
    cands.write_bytes(office.get(f"/bau-cu/{closed.id}/ung-vien.csv").content)
    return closed, ballots, cands


def verify(*args):
    out = StringIO()
    call_command("election", "verify", *map(str, args), "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_verify_accepts_the_export_and_retallies(exported):
    e, ballots, cands = exported
    data = verify("--ballots", ballots, "--candidates", cands, "--seats", e.seats, "--base", e.base,
                  "--fingerprint", e.fingerprint)
    assert data["ok"] and data["rows"] == e.returned and data["fingerprint"] == e.fingerprint
    for key in ("elected", "runoff", "unfilled", "valid", "invalid", "candidates", "threshold"):
        assert data["tally"][key] == e.result[key], key


def test_verify_detects_a_tampered_row(exported):
    e, ballots, _ = exported
    lines = ballots.read_text().splitlines()
    no, kept, flags, h = lines[3].split(",")
    lines[3] = ",".join([no, "1 4", flags, h])  # a teller's reading changed after the fact
    ballots.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match="dòng 4, cột «hash»") as exc:
        verify("--ballots", ballots)
    assert exc.value.returncode == 2


def test_verify_detects_a_removed_last_row_against_the_fingerprint(exported):
    e, ballots, _ = exported
    lines = ballots.read_text().splitlines()
    ballots.write_text("\n".join(lines[:-1]) + "\n")
    assert verify("--ballots", ballots)["ok"]  # the chain alone cannot see a cut at the end
    with pytest.raises(CommandError, match="dấu vân tay") as exc:
        verify("--ballots", ballots, "--fingerprint", e.fingerprint)
    assert exc.value.returncode == 2
