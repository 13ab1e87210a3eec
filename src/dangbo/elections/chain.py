"""Verifiable tally: every ballot entry is appended to a SHA-256 hash chain.

CON-9 (med, 190-QĐ/TW Điều 8): computer counting is allowed under the counting committee's
supervision. To let anyone check afterwards that the ballots counted are the ballots entered, each
ballot entry is hashed together with the hash of the entry before it:

    entry_i = canonical JSON of {"ballot_no": int, "flags": [sorted], "kept": [sorted], "prev": hash_{i-1}}
    hash_i  = SHA-256(entry_i) in lowercase hex;   hash_0's prev is `GENESIS` (64 zeros)

Canonical JSON: keys sorted, no spaces (separators "," and ":"), ASCII only. The **fingerprint** of a
round is the last hash (`GENESIS` for no ballots); it is printed in the counting minutes. Paper
ballots carry no voter identity, so the export holds nothing personal.

Export format (CSV, UTF-8, header row): `ballot_no,kept,flags,hash` — `kept` the candidate numbers
left un-struck, ascending, space-separated (empty when every name is struck); `flags` space-separated,
sorted; `hash` the entry's hash. Rows in entry order (the order matters: it is the chain's).

`verify` recomputes every hash from the row's content and the previous row's stored hash, so an altered
row, a removed row and reordered rows are found at the first row whose hash no longer matches; a row
removed (or added) at the end, or an export rewritten with fresh hashes, is found only against the
fingerprint from the minutes — pass it as `fingerprint=`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from dangbo.elections import rules

GENESIS = "0" * 64
EXPORT_COLUMNS: tuple[str, ...] = ("ballot_no", "kept", "flags", "hash")

Ballot = tuple[int, Iterable[int], Iterable[str]]


def canonical_entry(ballot_no: int, kept: Iterable[int], flags: Iterable[str], prev: str) -> bytes:
    """The canonical JSON bytes of one chain entry (see the module docstring)."""
    entry = {"ballot_no": int(ballot_no), "kept": sorted(int(k) for k in kept),
             "flags": sorted(str(f) for f in flags), "prev": prev}
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def entry_hash(ballot_no: int, kept: Iterable[int], flags: Iterable[str], prev: str) -> str:
    """SHA-256 (hex) of `canonical_entry`."""
    return hashlib.sha256(canonical_entry(ballot_no, kept, flags, prev)).hexdigest()


def chain(ballots: Iterable[Ballot], *, genesis: str = GENESIS) -> list[str]:
    """The hash of every ballot entry, in entry order; each covers all the entries before it."""
    out: list[str] = []
    prev = genesis
    for ballot_no, kept, flags in ballots:
        prev = entry_hash(ballot_no, kept, flags, prev)
        out.append(prev)
    return out


def fingerprint(ballots: Iterable[Ballot], *, genesis: str = GENESIS) -> str:
    """The round's fingerprint: the last hash of the chain (`genesis` when there is no ballot)."""
    hashes = chain(ballots, genesis=genesis)
    return hashes[-1] if hashes else genesis


def format_fingerprint(value: str) -> str:
    """The fingerprint in groups of 8 hex digits, easier to read aloud and compare in the minutes."""
    return " ".join(value[i:i + 8] for i in range(0, len(value), 8))


def _join(values: Iterable[Any]) -> str:
    return " ".join(str(v) for v in values)


def export_rows(ballots: Iterable[Ballot], *, genesis: str = GENESIS) -> list[dict[str, str]]:
    """The export as rows of strings {ballot_no, kept, flags, hash} (see the module docstring)."""
    ballots = [(int(b), sorted(int(k) for k in kept), sorted(str(f) for f in flags)) for b, kept, flags in ballots]
    return [{"ballot_no": str(b), "kept": _join(kept), "flags": _join(flags), "hash": h}
            for (b, kept, flags), h in zip(ballots, chain(ballots, genesis=genesis), strict=True)]


def parse_row(row: Mapping[str, Any] | Sequence[Any]) -> tuple[int, list[int], list[str], str]:
    """One export row (a mapping with `EXPORT_COLUMNS` or a 4-sequence; kept/flags as space-separated
    strings or iterables) → (ballot_no, kept, flags, hash). ValueError if it cannot be read."""
    if isinstance(row, Mapping):
        values = [row.get(c) for c in EXPORT_COLUMNS]
    else:
        values = list(row)
        if len(values) != 4:
            raise ValueError("Mỗi dòng xuất gồm 4 cột: ballot_no, kept, flags, hash.")
    ballot_no, kept, flags, h = values
    kept = kept.split() if isinstance(kept, str) else list(kept or ())
    flags = flags.split() if isinstance(flags, str) else list(flags or ())
    return int(ballot_no), [int(k) for k in kept], [str(f) for f in flags], str(h or "").strip().lower()


class VerifyResult(NamedTuple):
    ok: bool
    first_bad_row: int | None  # 1-based index among the data rows, None if ok or not locatable
    reason: str | None  # "hash_mismatch" | "fingerprint_mismatch" | None
    fingerprint: str  # recomputed from the rows' content
    rows: int
    ballots: list[tuple[int, list[int], list[str]]]
    tally: rules.TallyResult | None = None  # a TallyResult when candidates were given and the chain is intact


def verify(export: Iterable[Mapping[str, Any] | Sequence[Any]], *, fingerprint: str | None = None,
           genesis: str = GENESIS, candidates: Sequence[tuple[int, str]] | None = None,
           seats: int | None = None, base: int | None = None,
           settings: rules.CongressRuleSettings = rules.DEFAULTS) -> VerifyResult:
    """Check an export's hash chain and, when `candidates`, `seats` and `base` are given and the chain
    is intact, re-tally its ballots independently (`rules.tally`).

    Row i's hash must equal SHA-256 of its own content chained to row i−1's stored hash (GENESIS for
    the first). The first row that fails is returned (1-based); then, if `fingerprint` (from the
    minutes) is given, the recomputed fingerprint must equal it. ValueError if a row cannot be read.
    """
    parsed = [parse_row(r) for r in export]
    prev = genesis
    bad: int | None = None
    for i, (ballot_no, kept, flags, stored) in enumerate(parsed, start=1):
        if entry_hash(ballot_no, kept, flags, prev) != stored:
            bad = i
            break
        prev = stored
    ballots = [(b, k, f) for b, k, f, _ in parsed]
    # intact: every stored hash was just recomputed, so the head is the last one
    recomputed = prev if bad is None else (chain(ballots, genesis=genesis) or [genesis])[-1]
    if bad is not None:
        return VerifyResult(False, bad, "hash_mismatch", recomputed, len(parsed), ballots)
    if fingerprint is not None and fingerprint.replace(" ", "").strip().lower() != recomputed:
        return VerifyResult(False, None, "fingerprint_mismatch", recomputed, len(parsed), ballots)
    result = None
    if candidates is not None:
        if seats is None or base is None:
            raise ValueError("Cần số lượng cần bầu và cơ sở tính kết quả để kiểm phiếu lại.")
        result = rules.tally(candidates, [(b, set(k), set(f)) for b, k, f in ballots], seats=seats, base=base,
                             settings=settings)
    return VerifyResult(True, None, None, recomputed, len(parsed), ballots, result)
