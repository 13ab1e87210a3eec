"""Tests of elections.chain: the SHA-256 hash chain of ballot entries, the export and `verify`."""

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangbo.elections import chain
from dangbo.elections.chain import GENESIS, canonical_entry, export_rows, fingerprint, verify

BALLOTS = [(1, {1, 2}, set()), (2, {3, 1}, {"mark"}), (3, set(), set()), (4, {2}, {"unstamped", "added_name"})]


def test_canonical_entry_is_sorted_compact_json():
    raw = canonical_entry(7, {3, 1}, {"mark", "added_name"}, GENESIS)
    assert raw == ('{"ballot_no":7,"flags":["added_name","mark"],"kept":[1,3],"prev":"' + GENESIS + '"}').encode()
    assert chain.entry_hash(7, [1, 3], ["added_name", "mark"], GENESIS) == hashlib.sha256(raw).hexdigest()


def test_chain_links_each_entry_to_the_previous_hash():
    hashes = chain.chain(BALLOTS)
    assert len(hashes) == 4 and len(set(hashes)) == 4
    prev = GENESIS
    for (b, kept, flags), h in zip(BALLOTS, hashes, strict=True):
        entry = {"ballot_no": b, "kept": sorted(kept), "flags": sorted(flags), "prev": prev}
        assert h == hashlib.sha256(json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        prev = h
    assert fingerprint(BALLOTS) == hashes[-1]
    assert fingerprint([]) == GENESIS
    assert chain.format_fingerprint("ab" * 32).count(" ") == 7


def test_export_rows_format():
    rows = export_rows(BALLOTS)
    assert rows[1] == {"ballot_no": "2", "kept": "1 3", "flags": "mark", "hash": chain.chain(BALLOTS)[1]}
    assert rows[2]["kept"] == "" and rows[3]["flags"] == "added_name unstamped"
    assert list(rows[0]) == list(chain.EXPORT_COLUMNS)


def test_verify_intact_export_and_retally():
    rows = export_rows(BALLOTS)
    cands = [(1, "A"), (2, "B"), (3, "C")]
    res = verify(rows, fingerprint=fingerprint(BALLOTS), candidates=cands, seats=2, base=4)
    assert res.ok and res.first_bad_row is None and res.rows == 4
    assert res.tally.valid == 1 and res.tally.invalid_reasons == {"mark": 1, "all_struck": 1, "unstamped": 1}
    assert [c.votes for c in res.tally.candidates] == [1, 1, 0]
    # rows as tuples with parsed values are accepted too
    tuples = [(int(r["ballot_no"]), r["kept"].split(), r["flags"].split(), r["hash"]) for r in rows]
    assert verify(tuples).ok
    with pytest.raises(ValueError):
        verify(rows, candidates=cands)  # seats and base needed to re-tally


def test_verify_finds_the_first_bad_row():
    rows = export_rows(BALLOTS)
    altered = [dict(r) for r in rows]
    altered[1]["kept"] = "1 2"
    assert verify(altered)[:3] == (False, 2, "hash_mismatch")
    assert verify(rows[:1] + rows[2:])[:3] == (False, 2, "hash_mismatch")  # row 2 removed
    assert verify([rows[0], rows[2], rows[1], rows[3]])[:3] == (False, 2, "hash_mismatch")
    # the last row removed: only the fingerprint in the minutes shows it
    assert verify(rows[:-1]).ok
    res = verify(rows[:-1], fingerprint=fingerprint(BALLOTS))
    assert (res.ok, res.first_bad_row, res.reason) == (False, None, "fingerprint_mismatch")
    # fingerprint as printed (groups, upper case) is accepted
    assert verify(rows, fingerprint=chain.format_fingerprint(fingerprint(BALLOTS)).upper()).ok


FLAG_NAMES = ("unstamped", "added_name", "mark")
ballot_lists = st.lists(
    st.tuples(st.integers(1, 10_000), st.integers(0, 2**12 - 1), st.integers(0, 7)),
    min_size=1, max_size=25, unique_by=lambda b: b[0],
).map(lambda raw: [(b, {k + 1 for k in range(12) if mask >> k & 1},
                    {f for k, f in enumerate(FLAG_NAMES) if fmask >> k & 1}) for b, mask, fmask in raw])


@settings(max_examples=150, deadline=None)
@given(ballot_lists, st.data())
def test_verify_detects_any_single_altered_row(ballots, data):
    rows = export_rows(ballots)
    fp = fingerprint(ballots)
    assert verify(rows, fingerprint=fp).ok
    i = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.sampled_from(chain.EXPORT_COLUMNS))
    row = dict(rows[i])
    if column == "ballot_no":
        row[column] = str(int(row[column]) + data.draw(st.integers(1, 5)))
    elif column == "kept":
        kept = set(map(int, row["kept"].split())) ^ {data.draw(st.integers(1, 12))}
        row[column] = " ".join(map(str, sorted(kept)))
    elif column == "flags":
        flags = set(row["flags"].split()) ^ {data.draw(st.sampled_from(["unstamped", "added_name", "mark"]))}
        row[column] = " ".join(sorted(flags))
    else:
        row[column] = hashlib.sha256(row[column].encode()).hexdigest()
    tampered = rows[:i] + [row] + rows[i + 1:]
    res = verify(tampered, fingerprint=fp)
    assert not res.ok and res.first_bad_row == i + 1


@settings(max_examples=150, deadline=None)
@given(ballot_lists, st.data())
def test_verify_detects_any_single_removed_row(ballots, data):
    rows = export_rows(ballots)
    fp = fingerprint(ballots)
    i = data.draw(st.integers(0, len(rows) - 1))
    res = verify(rows[:i] + rows[i + 1:], fingerprint=fp)
    assert not res.ok
    if i < len(rows) - 1:
        assert res.first_bad_row == i + 1  # the row that followed it no longer chains
    else:
        assert res.reason == "fingerprint_mismatch"


@settings(max_examples=150, deadline=None)
@given(ballot_lists, st.data())
def test_verify_detects_reordered_rows(ballots, data):
    rows = export_rows(ballots)
    if len(rows) < 2:
        return
    i = data.draw(st.integers(0, len(rows) - 2))
    j = data.draw(st.integers(i + 1, len(rows) - 1))
    swapped = list(rows)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    res = verify(swapped, fingerprint=fingerprint(ballots))
    assert not res.ok and res.first_bad_row == i + 1
    moved = list(rows)
    moved.insert(j, moved.pop(i))
    assert not verify(moved, fingerprint=fingerprint(ballots)).ok


def test_chain_of_2000_ballots_by_60_candidates_verifies():
    """The issue's size (2,000 ballots × 60 names) exports, verifies and re-tallies; how long it takes is
    measured by bench/election_tally.py (figures in docs/PERFORMANCE.md), not asserted here."""
    import random

    rnd = random.Random(4)
    ballots = [(n, set(rnd.sample(range(1, 61), rnd.randint(0, 55))), set()) for n in range(1, 2001)]
    from dangbo.elections.rules import tally

    rows = export_rows(ballots)
    res = verify(rows, candidates=[(i, f"UCV {i}") for i in range(1, 61)], seats=55, base=2000)
    direct = tally([(i, f"UCV {i}") for i in range(1, 61)], ballots, seats=55, base=2000)
    assert res.ok and res.tally.valid + res.tally.invalid == 2000
    assert res.tally.as_dict() == direct.as_dict() and res.fingerprint == fingerprint(ballots)
