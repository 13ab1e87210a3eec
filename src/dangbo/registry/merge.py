"""Merge member rolls into one registry of persons (pure Python, no Django).

:func:`merge_files` reads the rolls (:func:`dangbo.registry.readers.read_file`),
normalises their rows (:mod:`dangbo.registry.records`), matches them
(:mod:`dangbo.registry.matching`) and returns the persons, the pairs for review
and the report.  :func:`write_outputs` writes ``persons.csv``, ``review.csv`` and
``report.json`` into a directory atomically: everything is written into a
temporary directory beside it, which then replaces it — a failure leaves no
half-written output.  The directory is private (0700, files 0600: they hold ID
numbers) and replaces only an empty folder or an earlier output; every CSV cell
is formula-safe (:mod:`dangbo.core.safecells`).

Every accepted row of every input is in exactly one person's ``sources``;
rejected rows are listed, with their reason, in the report.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import multiprocessing as mp
import operator
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dangbo.core.safecells import DANGEROUS_START, safe_row
from dangbo.registry.matching import Comparison, MatchLimitError, MatchResult, match
from dangbo.registry.readers import CellNote, FileRead, read_file
from dangbo.registry.records import Record, make_record

PERSON_COLUMNS = (
    "person_id", "full_name", "surname", "middle_name", "given_name", "sex", "birth_date", "national_id",
    "party_card_no", "home_town", "admission_date", "official_date", "organization", "sources", "match",
    "card_history", "problems",
)
COMPARED = ("name", "birth_date", "national_id", "party_card_no", "sex", "home_town")
_RECORD_VALUE = {
    "name": "full_name", "birth_date": "birth_date", "national_id": "national_id",
    "party_card_no": "party_card_no", "sex": "sex", "home_town": "home_town",
}
REVIEW_COLUMNS = (
    "ref_a", "ref_b", "person_a", "person_b", "score", "reason",
    *(f"{f}_{s}" for f in COMPARED for s in ("a", "b", "cmp")),
    # since issue 15, after the columns of before: the review class and the party admission dates
    "kind", "admission_date_a", "admission_date_b", "admission_date_cmp",
)
SEX_LABELS = {"M": "Nam", "F": "Nữ"}

#: progress(stage, done, total); stage "read" (files), "compare" (pairs).
Progress = Callable[[str, int, int], None]


@dataclass
class MergeResult:
    persons: list[dict[str, str]]
    review_pairs: list[dict[str, Any]]
    report: dict[str, Any]
    records: list[Record] = field(default_factory=list)
    match: MatchResult | None = None


def _most_common(values: Sequence[str | None], *, prefer_last: bool = False) -> str | None:
    present = [v for v in values if v]
    if not present:
        return None
    if present.count(present[0]) == len(present):
        return present[0]  # one value (the usual case): what the vote below gives, without a Counter
    counts = Counter(present)
    order = {v: i for i, v in enumerate(present)} if prefer_last else {}
    if not prefer_last:
        for i, v in enumerate(present):
            order.setdefault(v, -i)
    return max(counts, key=lambda v: (counts[v], order[v]))


def _best_date(records: Sequence[Record], attr: str) -> str | None:
    values = [getattr(r, attr) for r in records if getattr(r, attr)]
    full = [v for v in values if len(v) == 10]
    return _most_common(full) or _most_common(values)


def _best_name(records: Sequence[Record]) -> Record:
    counts = Counter(r.full_name for r in records)
    return max(records, key=lambda r: (r.has_diacritics, counts[r.full_name], -r.index))


def _single_person(person_id: str, r: Record, rule: str) -> dict[str, str]:
    """:func:`build_person` of one record (most persons): the same values, without the votes."""
    return {
        "person_id": person_id,
        "full_name": r.full_name,
        "surname": r.surname,
        "middle_name": r.middle,
        "given_name": r.given,
        "sex": SEX_LABELS.get(r.sex or "", ""),
        "birth_date": r.birth_date or "",
        "national_id": r.national_id or "",
        "party_card_no": r.party_card_no or "",
        "home_town": r.home_town or "",
        "admission_date": r.admission_date or "",
        "official_date": r.official_date or "",
        "organization": r.organization or "",
        "sources": r.ref,
        "match": rule,
        "card_history": r.party_card_no or "",
        "problems": " | ".join(dict.fromkeys(f"{r.ref}: {p}" for p in r.problems)) if r.problems else "",
    }


def build_person(person_id: str, records: Sequence[Record], rule: str) -> dict[str, str]:
    if len(records) == 1:
        return _single_person(person_id, records[0], rule)
    return _voted_person(person_id, records, rule)


def _voted_person(person_id: str, records: Sequence[Record], rule: str) -> dict[str, str]:
    """The person of several records: each value by vote (dates known to the day first)."""
    named = _best_name(records)
    cards = [r.party_card_no for r in records if r.party_card_no]
    history = list(dict.fromkeys(cards))
    homes = [r.home_town for r in records if r.home_town]
    if homes and homes.count(homes[0]) == len(homes):
        home = homes[0]  # one home town: the vote's answer
    else:
        home = max(Counter(homes).items(), key=lambda kv: (kv[1], len(kv[0])))[0] if homes else ""
    problems = list(dict.fromkeys(f"{r.ref}: {p}" for r in records for p in r.problems))
    sex = _most_common([r.sex for r in records])
    return {
        "person_id": person_id,
        "full_name": named.full_name,
        "surname": named.surname,
        "middle_name": named.middle,
        "given_name": named.given,
        "sex": SEX_LABELS.get(sex or "", ""),
        "birth_date": _best_date(records, "birth_date") or "",
        "national_id": _most_common([r.national_id for r in records]) or "",
        "party_card_no": _most_common(cards, prefer_last=True) or "",
        "home_town": home,
        "admission_date": _best_date(records, "admission_date") or "",
        "official_date": _best_date(records, "official_date") or "",
        "organization": _most_common([r.organization for r in records]) or "",
        "sources": ";".join(r.ref for r in records),
        "match": rule,
        "card_history": ";".join(history),
        "problems": " | ".join(problems),
    }


def _review_row(c: Comparison, by_index: dict[int, Record], person_of: dict[int, str]) -> dict[str, Any]:
    a, b = by_index[c.a], by_index[c.b]
    row: dict[str, Any] = {
        "ref_a": a.ref, "ref_b": b.ref, "person_a": person_of[c.a], "person_b": person_of[c.b],
        "score": c.score, "reason": c.reason,
    }
    for f in COMPARED:
        va, vb = getattr(a, _RECORD_VALUE[f]), getattr(b, _RECORD_VALUE[f])
        if f == "sex":
            va, vb = SEX_LABELS.get(va or "", ""), SEX_LABELS.get(vb or "", "")
        row[f"{f}_a"], row[f"{f}_b"], row[f"{f}_cmp"] = va or "", vb or "", c.fields[f]
    row["kind"] = c.kind
    row["admission_date_a"], row["admission_date_b"] = a.admission_date or "", b.admission_date or ""
    row["admission_date_cmp"] = c.fields.get("admission_date", "")
    return row


#: The report's counts of cell notes (per file and in the totals) → the kind counted.
NOTE_COUNTS = {"values_unread": CellNote.UNREAD, "values_repaired": CellNote.REPAIRED,
               "characters_stripped": CellNote.STRIPPED}


def _note(problem: str, rec: Record, file: str, column_of: dict[str, str]) -> dict[str, Any]:
    """One entry of the report's ``notes``: where (file, row, column), the value in the file, what was
    kept ("" = left empty), the kind (``unread``, ``repaired``, ``stripped``) and the note's text."""
    field_ = getattr(problem, "field", None)
    column = getattr(problem, "column", None) or column_of.get(field_ or "", "")
    return {"file": file, "row": rec.row, "ref": rec.ref, "column": column, "field": field_ or "",
            "value": getattr(problem, "value", ""), "kept": getattr(problem, "kept", ""),
            "kind": getattr(problem, "kind", CellNote.REPAIRED), "note": str(problem)}


#: Below this many rows (bytes of input), records are made (files read) in this process alone: a
#: fork costs more than it saves.
PARALLEL_MIN_ROWS = 20_000
PARALLEL_MIN_BYTES = 4_000_000

_JOBS: list[tuple[str, list]] = []  # (file, rows) of the run, for the forked worker to read


def _make_records(start: int, stop: int) -> list[Record | str]:
    """make_record over rows ``start:stop`` of all the rolls in ``_JOBS`` (in order); indices are set later."""
    out: list[Record | str] = []
    pos = 0
    for file, rows in _JOBS:
        lo, hi = max(start - pos, 0), min(stop - pos, len(rows))
        if lo < hi:
            out.extend(make_record(row, 0, file) for row in rows[lo:hi])
        pos += len(rows)
    return out


def _all_records(reads: Sequence[FileRead], workers: int) -> list[Record | str]:
    """make_record of every row of every roll, in order: the second half in a forked process when
    ``workers`` > 1 and there are many rows (same values either way; indices are set by the caller)."""
    global _JOBS
    total = sum(len(fr.rows) for fr in reads)
    _JOBS = [(fr.file, fr.rows) for fr in reads]
    try:
        if workers < 2 or total < PARALLEL_MIN_ROWS or "fork" not in mp.get_all_start_methods():
            return _make_records(0, total)
        half = total // 2
        with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as pool:
            second = pool.submit(_make_records, half, total)
            first = _make_records(0, half)
            return first + second.result()
    finally:
        _JOBS = []


def _file_part(fr: FileRead, made: Sequence[Record | str]) -> tuple[dict[str, Any], list[Record], list[dict[str, Any]]]:
    """(the file's report, its records in row order, its cell notes) from its rows' ``make_record``
    outcomes ``made`` (a text: the row refused, added to the report's ``rejected``)."""
    rep = fr.report()
    extra = []
    problems = 0
    kinds = Counter()
    kept: list[Record] = []
    notes: list[dict[str, Any]] = []
    column_of: dict[str, str] = {}
    for label, f in fr.columns.items():
        column_of.setdefault(f, label)
    for row, rec in zip(fr.rows, made, strict=True):
        if isinstance(rec, str):
            extra.append({"ref": row.ref, "row": row.row, "reason": rec})
        else:
            kept.append(rec)
            problems += len(rec.problems)
            for p in rec.problems:
                note = _note(p, rec, fr.file, column_of)
                kinds[note["kind"]] += 1
                notes.append(note)
    if extra:
        rep["rejected"] = sorted(rep["rejected"] + extra, key=lambda r: r["row"])
        rep["rows_rejected"] += len(extra)
        rep["rows_accepted"] -= len(extra)
    rep["problems"] = problems
    rep.update({k: kinds[kind] for k, kind in NOTE_COUNTS.items()})
    return rep, kept, notes


def merge_reads(reads: Sequence[FileRead], *, progress: Progress | None = None, workers: int = 1) -> MergeResult:
    """Merge rolls already read.  ``workers`` > 1: normalise the rows over two processes (fork)."""
    made = _all_records(reads, workers)
    parts = []
    pos = 0
    for fr in reads:
        parts.append(_file_part(fr, made[pos:pos + len(fr.rows)]))
        pos += len(fr.rows)
    return _merge_parts(parts, progress=progress, workers=workers)


def _merge_parts(parts: Sequence[tuple[dict[str, Any], list[Record], list[dict[str, Any]]]], *,
                 progress: Progress | None, workers: int) -> MergeResult:
    """Match the records of every file's part (:func:`_file_part`, in file order) and build the result."""
    records: list[Record] = []
    file_reports: list[dict[str, Any]] = []
    rejected_all: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for rep, kept, file_notes in parts:
        for rec in kept:
            rec.index = len(records)
            records.append(rec)
        notes += file_notes
        file_reports.append(rep)
        rejected_all += [dict(r, file=rep["file"]) for r in rep["rejected"]]

    def on_pairs(done: int, total: int) -> None:
        if progress:
            progress("compare", done, total)

    try:
        result = match(records, on_pairs if progress else None, workers=workers)
    except MatchLimitError as e:
        from dangbo.registry.readers import RegistryInputError

        raise RegistryInputError(str(e)) from None
    by_index = {r.index: r for r in records}
    persons: list[dict[str, str]] = []
    person_of: dict[int, str] = {}
    for p, members in enumerate(result.clusters):
        pid = f"P{p + 1:06d}"
        for i in members:
            person_of[i] = pid
        persons.append(build_person(pid, [by_index[i] for i in members], result.cluster_rule[p]))
    review = [_review_row(c, by_index, person_of) for c in result.review]
    by_match = Counter(p["match"] for p in persons)
    merged_rows = Counter(by_index[i].file for members in result.clusters if len(members) > 1 for i in members)
    for rep in file_reports:
        rep["rows_merged"] = merged_rows[rep["file"]]
    n = len(records)
    report = {
        "files": file_reports,
        "rejected": rejected_all,
        "notes": notes,
        "totals": {
            "files": len(parts),
            "rows_read": sum(r["rows_read"] for r in file_reports),
            "rows_accepted": n,
            "rows_rejected": len(rejected_all),
            **{k: sum(r[k] for r in file_reports) for k in NOTE_COUNTS},
            "persons": len(persons),
            "persons_from_several_rows": sum(1 for p in persons if ";" in p["sources"]),
            "merged_pairs": len(result.merged),
            "merged_rows": n - len(persons),
            "review_pairs": len(review),
            "review_by_kind": dict(Counter(c.kind for c in result.review)),
            # pairs whose only evidence is a shared name and birth year (something else disagrees or
            # nothing else agrees): different people, counted here, not queued
            "weak_pairs": len(result.weak),
            "weak_by_reason": dict(Counter(w[2] for w in result.weak).most_common(20)),
            "refused_merges": len(result.refused),
            # pairs of the same name and birth date kept apart only because their ID numbers differ
            # (not one typing slip apart): counted, never silently lost (issue 15)
            "id_refused_pairs": result.stats.get("id_refused", 0),
            "by_match": dict(sorted(by_match.items())),
            "comparisons": result.comparisons,
            "comparisons_per_record": round(result.comparisons / n, 2) if n else 0.0,
        },
    }
    return MergeResult(persons, review, report, records, result)


def read_files(paths: Sequence[str | os.PathLike], *, mapping: dict[str, str] | None = None,
               progress: Progress | None = None, workers: int = 1) -> list:
    """Read every roll (``readers.read_file``), refusing two inputs with the same base name (their
    ``FILE:ROW`` sources would clash); raises ``RegistryInputError`` on bad input.  ``workers`` > 1:
    large inputs are read by two processes (fork), with the same result."""
    _check_names(paths)
    if not _two_readers(paths, workers):
        reads = []
        for n, p in enumerate(paths, start=1):
            reads.append(read_file(p, mapping=mapping))
            if progress:
                progress("read", n, len(paths))
        return reads
    return _in_two_processes(read_file, paths, mapping, progress)


def _check_names(paths: Sequence[str | os.PathLike]) -> None:
    names = [Path(p).name for p in paths]
    dup = [n for n, k in Counter(names).items() if k > 1]
    if dup:
        from dangbo.registry.readers import RegistryInputError

        raise RegistryInputError(f"Tệp \"{dup[0]}\": được đưa vào hai lần (hoặc hai tệp trùng tên) — "
                                 "nguồn FILE:ROW sẽ không phân biệt được; hãy đổi tên một tệp", file=dup[0])


def _two_readers(paths: Sequence[str | os.PathLike], workers: int) -> bool:
    """Whether the rolls are read by two processes: ``workers`` > 1, several files, large inputs, fork."""
    return workers >= 2 and len(paths) >= 2 and sum(_size(p) for p in paths) >= PARALLEL_MIN_BYTES \
        and "fork" in mp.get_all_start_methods()


def _read_part(path: str | os.PathLike, mapping: dict[str, str] | None = None):
    """One roll read and normalised in the same process: :func:`_file_part` of it (what the forked reader
    sends back — the records, not the rows)."""
    fr = read_file(path, mapping=mapping)
    return _file_part(fr, [make_record(row, 0, fr.file) for row in fr.rows])


#: A record's fields in order: what the forked reader sends back instead of the record (see
#: :func:`_read_part_packed`).
_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(Record))
_record_values = operator.attrgetter(*_RECORD_FIELDS)


def _read_part_packed(path: str | os.PathLike, mapping: dict[str, str] | None = None):
    """:func:`_read_part` as the forked reader sends it: each record as the tuple of its fields
    (:func:`_unpack_part` makes the records again).  Pickling tuples of texts is plain C work;
    a dataclass instance is pickled and loaded through its ``__reduce_ex__`` and ``__dict__``
    (one 66 k-row roll: 1.0 s to pickle and 1.0 s to load as records, 0.3 s to load as tuples and
    0.1 s to make the records again — the load is the reading process's time, on the critical path)."""
    rep, kept, notes = _read_part(path, mapping)
    return rep, [_record_values(r) for r in kept], notes


def _unpack_part(part):
    rep, values, notes = part
    return rep, [Record(*v) for v in values], notes


def _in_two_processes(task: Callable, paths: Sequence[str | os.PathLike], mapping: dict[str, str] | None,
                      progress: Progress | None, *, remote: Callable | None = None,
                      unpack: Callable | None = None) -> list:
    """``task(path, mapping=mapping)`` for every path, in two processes, outcomes in file order
    (the forked process runs ``remote`` instead when given, its outcome passed through ``unpack``)."""
    sizes = [_size(p) for p in paths]
    # Two processes: the largest files first, each to the process with less to read; the forked one
    # sends its outcomes back.  Outcomes are taken in file order, so bad input raises what a serial
    # read raises (the first bad file's message).
    mine: list[int] = []
    theirs: list[int] = []
    load = [0, 0]
    for i in sorted(range(len(paths)), key=lambda i: -sizes[i]):
        side = 0 if load[0] <= load[1] else 1
        (mine if side == 0 else theirs).append(i)
        load[side] += sizes[i]
    outcomes: dict[int, Any] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as pool:
        futures = {i: pool.submit(remote or task, paths[i], mapping=mapping) for i in sorted(theirs)}
        for i in sorted(mine):
            try:
                outcomes[i] = task(paths[i], mapping=mapping)
            except Exception as e:  # noqa: BLE001 - raised below, in file order
                outcomes[i] = e
            done += 1
            if progress:
                progress("read", done, len(paths))
        for i, future in futures.items():
            error = future.exception()
            outcomes[i] = error if error is not None else (unpack or (lambda x: x))(future.result())
            done += 1
            if progress:
                progress("read", done, len(paths))
    for i in range(len(paths)):
        if isinstance(outcomes[i], BaseException):
            raise outcomes[i]
    return [outcomes[i] for i in range(len(paths))]


def _size(path: str | os.PathLike) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def merge_files(paths: Sequence[str | os.PathLike], *, mapping: dict[str, str] | None = None,
                progress: Progress | None = None, workers: int = 1) -> MergeResult:
    """Read and merge the rolls at ``paths``; raises ``RegistryInputError`` on bad input.

    ``workers`` > 1 (the command line passes the number of cores, at most 2): large runs normalise
    their rows in two processes; the result is the same."""
    if _two_readers(paths, workers):
        # each roll read and normalised by the same process: its rows never cross processes
        _check_names(paths)
        parts = _in_two_processes(_read_part, paths, mapping, progress, remote=_read_part_packed, unpack=_unpack_part)
        return _merge_parts(parts, progress=progress, workers=workers)
    reads = read_files(paths, mapping=mapping, progress=progress, workers=workers)
    return merge_reads(reads, progress=progress, workers=workers)


# ---------------------------------------------------------------- output

#: The files of a ``dangbo registry merge`` output folder: a non-empty ``--out`` folder is replaced
#: only when it holds exactly these (and its report.json is a merge report); anything else is refused.
OUTPUT_FILES = frozenset({"persons.csv", "review.csv", "report.json"})


class OutputDirError(ValueError):
    """An output folder that may not be written; ``str(error)`` is a Vietnamese message."""


def check_output_dir(out_dir: str | os.PathLike) -> Path:
    """The resolved output folder, or :class:`OutputDirError` when writing there would destroy
    something: a file (not a folder), or a non-empty folder that is not an earlier output of
    ``dangbo registry merge`` (exactly :data:`OUTPUT_FILES`, report.json a merge report). Touches nothing."""
    out = Path(out_dir).resolve()
    shown = os.fspath(out_dir)
    if not out.exists() and not out.is_symlink():
        return out
    if not out.is_dir():
        raise OutputDirError(f"\"{shown}\" là một tệp, không phải thư mục — hãy chọn thư mục kết quả khác "
                             "(không ghi đè tệp này).")
    try:
        entries = list(os.scandir(out))
    except OSError as e:
        raise OutputDirError(f"Không đọc được thư mục kết quả \"{shown}\": {e.strerror or e}") from None
    if not entries:
        return out
    names = {e.name for e in entries}
    ours = names == OUTPUT_FILES and all(e.is_file(follow_symlinks=False) for e in entries) and _is_report(
        out / "report.json")
    if not ours:
        other = sorted(names - OUTPUT_FILES) or sorted(names)
        raise OutputDirError(
            f"Thư mục kết quả \"{shown}\" đã có {len(names)} mục (ví dụ \"{other[0]}\") và không phải kết quả "
            "của một lần gộp trước (chỉ gồm persons.csv, review.csv, report.json) — không ghi đè để khỏi mất dữ "
            "liệu; hãy chọn một thư mục trống hoặc chưa có.")
    return out


def _is_report(path: Path) -> bool:
    """``path`` is a report.json written by :func:`write_outputs` (read at most 64 MB)."""
    try:
        with path.open("rb") as f:
            data = f.read(64 * 1024 * 1024 + 1)
        report = json.loads(data) if len(data) <= 64 * 1024 * 1024 else None
    except (OSError, ValueError):
        return False
    return isinstance(report, dict) and {"files", "rejected", "totals"} <= set(report)


def _private_file(path: Path):
    """``path`` created for writing with mode 0600 from the start (it holds ID numbers), UTF-8."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    return open(fd, "w", encoding="utf-8", newline="")


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """Every cell through :func:`dangbo.core.safecells.safe_row` (a text starting with ``=``, ``+``,
    ``-``, ``@`` … gets a leading apostrophe, so a spreadsheet never runs it as a formula)."""
    with _private_file(path) as f:
        w = csv.writer(f, lineterminator="\n")  # what csv.DictWriter(extrasaction="ignore") writes, faster
        w.writerow(safe_row(columns))
        w.writerows(_safe_cells([row.get(c, "") for c in columns]) for row in rows)


#: NUL then any formula start: one scan of the joined row instead of one per start (11 starts).
_STARTS_RE = re.compile("\x00[" + re.escape("".join(DANGEROUS_START)) + "]")


def _safe_cells(values: list) -> list:
    """:func:`safe_row` of ``values``, faster for the usual row of texts none of which starts with a
    formula character: one search per character over the row joined by NUL (a cell starting with one
    is found as NUL + the character; a NUL inside a cell at worst sends the row to ``safe_row``)."""
    try:
        joined = "\x00" + "\x00".join(values)
    except TypeError:  # a number (the score): the plain way
        return safe_row(values)
    if _STARTS_RE.search(joined):
        return safe_row(values)
    return values


def write_outputs(result: MergeResult, out_dir: str | os.PathLike) -> Path:
    """Write persons.csv, review.csv and report.json into ``out_dir`` atomically; return its path.

    The folder is created 0700 and the files 0600 (they hold ID numbers), never wider, not even for a
    moment.  An existing ``out_dir`` is replaced as a whole (only once the new one is complete), and
    only when it is empty or an earlier output (:func:`check_output_dir`; else :class:`OutputDirError`,
    nothing touched).
    """
    out = check_output_dir(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))  # mode 0700
    try:
        _write_csv(tmp / "persons.csv", PERSON_COLUMNS, result.persons)
        _write_csv(tmp / "review.csv", REVIEW_COLUMNS, result.review_pairs)
        with _private_file(tmp / "report.json") as f:
            f.write(json.dumps(result.report, ensure_ascii=False, indent=2, default=str))
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            old.rmdir()
            out.rename(old)
            try:
                tmp.rename(out)
            except OSError:
                old.rename(out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


__all__ = ["OUTPUT_FILES", "PERSON_COLUMNS", "REVIEW_COLUMNS", "MergeResult", "OutputDirError", "build_person",
           "check_output_dir", "merge_files", "merge_reads", "write_outputs"]
