"""demo.rolls: the predecessor rolls written as messy files, merged back, give exactly the plan's people."""

import datetime as dt

import pytest

from dangbo.demo.plan import MERGER_DATE, committee_plan, plan_members
from dangbo.demo.rolls import EXTRA_FILE, ROLL_FILES, card_number, write_rolls
from dangbo.registry.merge import merge_files
from dangbo.registry.readers import read_file
from dangbo.text.vietnamese import fold

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    plan = committee_plan()
    members = plan_members(plan, seed=2025, today=TODAY)
    rolls = write_rolls(plan, tmp_path_factory.mktemp("rolls"), seed=2025, today=TODAY, members=members)
    merged = [(code, merge_files(paths)) for code, paths in rolls.batches]
    return plan, members, rolls, merged


def test_files_are_the_three_rolls_in_their_encodings_plus_the_additions(demo):
    plan, _, rolls, _ = demo
    code, main = rolls.batches[0]
    assert code == plan.committee.code
    assert [p.name for p in main] == [*ROLL_FILES.values(), EXTRA_FILE]
    reads = {p.name: read_file(p) for p in rolls.files}
    pt, vp, hb = (reads[f] for f in ROLL_FILES.values())
    assert pt.encodings["Họ và tên"] == "tcvn3" and pt.encodings["Chi bộ"] == "tcvn3"
    assert vp.columns["Họ và đệm"] == "surname_middle" and vp.columns["Tên"] == "given_name"
    assert vp.encodings["Họ và đệm"] == "vni" and vp.encodings["Đơn vị"] == "vni"
    assert (hb.format, hb.text_encoding, hb.delimiter) == ("csv", "utf-8-sig", ";")
    assert (rolls.folder / "hoa-binh.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # ALL CAPS names in .VnTimeH cells, IDs stored as numbers, Excel date cells and serials
    pt_rows = pt.rows
    assert sum(r["full_name"].isupper() for r in pt_rows) > len(pt_rows) // 5
    assert any(isinstance(r["national_id"], int) for r in pt_rows)
    assert any(isinstance(r["birth_date"], dt.datetime) for r in pt_rows)
    assert any(isinstance(r["admission_date"], int) for r in vp.rows)
    assert any("." in (r["party_card_no"] or "") for r in vp.rows)
    # title rows above the header in every roll
    assert all(r.header_row > 1 for r in reads.values())
    # one batch: cells named alike are written with their grassroots organisation
    assert len(rolls.batches) == 1
    cells = {r["organization"] for read in reads.values() for r in read.rows}
    assert "Chi bộ Văn phòng Ban - Đảng bộ Ban Tổ chức Tỉnh ủy" in cells


def test_merging_the_rolls_gives_back_the_plan_person_by_person(demo):
    plan, members, rolls, merged = demo
    names = {o.code: o.name for o in plan.orgs}
    want = {m.person.national_id: m for m in members}
    seen = {}
    for code, result in merged:
        assert result.report["totals"]["rows_rejected"] == 0
        queued = {ref for pair in result.review_pairs for ref in (pair["ref_a"], pair["ref_b"])}
        for person in result.persons:
            nid = person["national_id"]
            if not nid:  # a practice row (second roll, no ID or card, birth year only): waits for review
                assert person["sources"] in queued, person
                continue
            assert nid in want and nid not in seen, person
            seen[nid] = person
            mp = want[nid]
            p = mp.person
            assert person["full_name"] == p.full_name
            assert person["sex"] == {"M": "Nam", "F": "Nữ"}[p.sex]
            assert person["birth_date"] == p.birth_date.isoformat()
            assert person["admission_date"] == p.admission_date.isoformat()
            assert person["official_date"] == (p.official_date.isoformat() if p.official_date else "")
            assert person["party_card_no"] == card_number(mp, 2025)
            assert person["home_town"] == p.home_town
            # the cell's name, qualified by its grassroots organisation where two cells share it
            assert fold(person["organization"]).startswith(fold(names[mp.org_code]))
            assert mp.org_code.startswith(code)
        # no wrong merge: every row of a person carries that person's ID
        by_ref = {r.ref: r for r in result.records}
        for person in result.persons:
            assert {by_ref[ref].national_id for ref in person["sources"].split(";")} == {person["national_id"] or None}
    assert set(seen) == set(want)


def test_the_rolls_carry_the_mess_the_merge_undoes(demo):
    _, members, rolls, merged = demo
    totals = merged[0][1].report["totals"]
    assert totals["persons_from_several_rows"] > 100 and totals["merged_pairs"] > 100
    # transferred members: rows on two different rolls with the same ID
    files_of = [{ref.split(":")[0] for ref in p["sources"].split(";")} for p in merged[0][1].persons]
    assert sum(len(f) > 1 for f in files_of) > 50
    # typed twice into the same roll
    assert any(len(p["sources"].split(";")) > len(f) for p, f in zip(merged[0][1].persons, files_of, strict=True))
    # IDs as numbers (leading zero lost), birth years alone, cards with dots
    rows = [r for code, result in merged for r in result.records]
    assert any(r.birth_date and len(r.birth_date) == 4 for r in rows)
    # members admitted since the merger are only in the additions file
    main = {p["national_id"]: p["sources"] for p in merged[0][1].persons}
    extra = {nid for nid, sources in main.items() if sources.startswith(EXTRA_FILE)}
    assert extra == {m.person.national_id for m in members
                     if m.person.admission_date >= MERGER_DATE and m.person.national_id in main}
    assert all(EXTRA_FILE not in sources for nid, sources in main.items() if nid not in extra)
    assert sum(rolls.rows.values()) > len(members)


def test_deterministic(demo, tmp_path):
    plan, members, rolls, merged = demo
    again = write_rolls(plan, tmp_path, seed=2025, today=TODAY, members=members)
    assert again.rows == rolls.rows
    for (_, a), (_, paths) in zip(merged, again.batches, strict=True):
        assert merge_files(paths).persons == a.persons
