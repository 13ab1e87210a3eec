"""Writes of the registry import and its review queue; each runs in transactions with its audit events.

- :func:`import_files` — `dangbo registry import` and the web upload's worker: the same merge as
  `dangbo registry merge`, then one member per merged person through `members.services.member_create`,
  every source row kept as a :class:`SourceRecord` (provenance), the review pairs queued. All or
  nothing, in short transactions (see its docstring): what a failed import wrote is taken back
  (:func:`_remove_written`); :func:`batches_recover` cleans up after a killed importing process.
- The web upload (queue, worker job, progress) is in `registry.uploads`.
- :func:`pair_merge`, :func:`pair_keep_apart`, :func:`pair_undo` — the review queue's decisions.
  A merge moves the second member's source rows to the first, fills the first member's empty
  identity fields from the second, and deletes the second member after keeping a full snapshot of
  it and its events in `ReviewPair.undo`; undoing it restores the second member with the same
  field values and events (a new id) and moves its rows back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from dangbo.accounts.models import Account
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.members import rules as member_rules
from dangbo.members.badgedays import badge_day_keep, badge_days_batched
from dangbo.members.models import Member, MemberEvent
from dangbo.members.services import member_create, member_update
from dangbo.orgs import rules as org_rules
from dangbo.orgs.counts import counts_apply
from dangbo.orgs.models import Organization
from dangbo.procedures import badgekept as badges
from dangbo.procedures import kept as probation
from dangbo.registry.issues import Problem, conflicts, issues_write, problem_issues, report_issues
from dangbo.registry.matching import KINDS
from dangbo.registry.merge import COMPARED, MergeResult, Progress, merge_reads, read_files
from dangbo.registry.models import ImportBatch, ImportIssue, ReviewPair, SourceRecord
from dangbo.reports.tallies import member_tallied, tallies_batched, tally_created
from dangbo.text.vietnamese import fold

log = logging.getLogger(__name__)

SEX_CODES = {"Nam": "M", "Nữ": "F"}
#: Identity fields a merge fills in on the kept member when it lacks them and the removed one has them.
FILL_FIELDS = ("national_id", "card_number", "birth_date", "home_town")
MAX_ERRORS = 20
KIND_RANK = {k: i for i, k in enumerate(KINDS)}


class RegistryImportError(Exception):
    """An import that cannot be done; ``str(error)`` is a Vietnamese message. Nothing was saved.
    ``problems``: every problem found (:class:`registry.issues.Problem`), the message shows the first
    :data:`MAX_ERRORS`."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.message, self.problems = message, list(problems or [])


@dataclasses.dataclass
class ImportSummary:
    batch: ImportBatch
    members_created: int
    source_rows: int
    review_pairs: int
    result: MergeResult

    def as_json(self) -> dict[str, int]:
        return {"batch": self.batch.pk, "members_created": self.members_created, "source_rows": self.source_rows,
                "review_pairs": self.review_pairs}


# ---------------------------------------------------------------- helpers


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a raw cell value (dates as ISO text)."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _precision(iso: str | None) -> str | None:
    if not iso:
        return None
    return "year" if len(iso) == 4 else "day"


def _member_date(iso: str | None, *, not_before: dt.date | None = None) -> dt.date | None:
    """A registry date as the member model needs it.

    The member model keeps full dates only, so a date known to the year only ("1975") becomes 1 January
    of that year — or, when `not_before` (the earliest valid day, e.g. the end of probation for an
    official date) falls later in that same year, that day. The SourceRecord keeps the precision
    ("year"), so the approximation is never mistaken for a known day.
    """
    if not iso:
        return None
    if len(iso) == 4:
        day = dt.date(int(iso), 1, 1)
        if not_before and not_before.year == day.year and not_before > day:
            day = not_before
        return day
    return dt.date.fromisoformat(iso)


def _read_and_merge(paths: Sequence[str | os.PathLike], mapping: dict[str, str] | None,
                    progress: Progress | None) -> tuple[MergeResult, dict[str, dict[str, Any]]]:
    """`registry.merge.merge_files`, keeping each row's raw values (by ref) for provenance."""
    reads = read_files(paths, mapping=mapping, progress=progress)
    raw = {row.ref: {k: _plain(v) for k, v in row.values.items()} for fr in reads for row in fr.rows}
    if progress:
        progress("rows_read", len(raw), len(raw))
    result = merge_reads(reads, progress=progress)
    if progress:
        progress("matched", len(result.records), len(result.persons))
    return result, raw


def _org_index(target: Organization) -> dict[str, list[Organization]]:
    """Active organisations of the target's subtree by folded name."""
    index: dict[str, list[Organization]] = {}
    for org in Organization.objects.filter(path__startswith=target.path, valid_to__isnull=True).select_related(
            "parent"):
        index.setdefault(fold(org.name), []).append(org)
    return index


_QUALIFIERS = (" - ", " – ", " — ", ", ", " (")


def _qualified(text: str, index: dict[str, list[Organization]]) -> list[Organization]:
    """Cells named like others can be written with their parent: "Chi bộ Văn phòng Ban - Đảng bộ Ban
    Tổ chức Tỉnh ủy" (also with "–", "," or "(…)"): the part before the separator is the cell's name,
    the rest must occur in its parent's name."""
    for sep in _QUALIFIERS:
        if sep in text:
            head, tail = text.split(sep, 1)
            parent_part = fold(tail.rstrip(") "))
            found = [o for o in index.get(fold(head), [])
                     if parent_part and o.parent is not None and parent_part in fold(o.parent.name)]
            if found:
                return found
    return []


def _person_org(person: dict[str, str], target: Organization, index: dict[str, list[Organization]],
                where: str) -> tuple[Organization | None, str | None]:
    text = person.get("organization") or ""
    if text:
        found = index.get(fold(text), []) or _qualified(text, index)
        if len(found) > 1:
            return None, (f"{where}: tên tổ chức «{text}» trùng với {len(found)} tổ chức trong «{target.name}» "
                          "— ghi kèm tổ chức cấp trên, ví dụ «Chi bộ … - Đảng bộ …»")
        if found:
            org = found[0]
            if not org_rules.is_cell(org.kind):
                return None, f"{where}: «{org.name}» không phải chi bộ, không nhận đảng viên sinh hoạt"
            return org, None
    if org_rules.is_cell(target.kind):
        return target, None
    what = f"tổ chức «{text}»" if text else "không ghi chi bộ"
    return None, (f"{where}: {what} — không tìm thấy chi bộ nào tên như vậy trong «{target.name}» "
                  "(và tổ chức nhận không phải chi bộ)")


# ---------------------------------------------------------------- import


def _limits() -> tuple[float, int, float]:
    """(chunk seconds, chunk members, pause seconds) of an import's write transactions.

    ``settings.DANGBO_IMPORT`` may set ``chunk_seconds`` (default 0.25), ``chunk_members`` (200),
    ``pause_seconds`` (0.12 on SQLite, 0 on PostgreSQL) and ``max_pause_seconds`` (0.35); see
    :func:`_pause`.
    """
    cfg = getattr(settings, "DANGBO_IMPORT", {})
    pause = 0.12 if connection.vendor == "sqlite" else 0.0
    return (float(cfg.get("chunk_seconds", 0.25)), int(cfg.get("chunk_members", 200)),
            float(cfg.get("pause_seconds", pause)))


#: A slice longer than the longest sleep of SQLite's busy handler (100 ms): a writer waiting for the
#: lock tries at least once in it.
_SLICE = 0.11


def _data_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        return cursor.fetchone()[0]


def _pause(pause: float) -> None:
    """Let other writers in between two of the import's transactions.

    SQLite has one write lock, and its busy handler lets a writer that has waited a while retry only
    every 100 ms: an import that took the lock straight back would starve them. So the import waits
    `pause` (> 100 ms) after each transaction, and keeps waiting, slice by slice, while other
    connections are still committing (``PRAGMA data_version`` changes), up to ``max_pause_seconds``
    — the queue of waiting writers drains before the import goes on. PostgreSQL locks rows, not the
    database: no pause there by default. Inside a caller's transaction (the demo build, a test) the
    lock stays held until that transaction ends whatever the import does: no pause then.
    """
    if pause <= 0 or connection.in_atomic_block:
        return
    if connection.vendor != "sqlite":
        time.sleep(pause)
        return
    longest = float(getattr(settings, "DANGBO_IMPORT", {}).get("max_pause_seconds", 0.35))
    version = _data_version()
    time.sleep(pause)
    waited = pause
    while waited + _SLICE <= longest:
        now = _data_version()
        if now == version:
            return
        version = now
        time.sleep(_SLICE)
        waited += _SLICE


def _refused(problems: list[Problem], hint: str = "") -> RegistryImportError:
    lines = [p.line() for p in problems[:MAX_ERRORS]]
    more = f"\n… và {len(problems) - MAX_ERRORS} lỗi khác" if len(problems) > MAX_ERRORS else ""
    tail = f"\n{hint}" if hint else ""
    return RegistryImportError("Không nhập được danh sách (chưa lưu gì):\n" + "\n".join(lines) + more + tail,
                               problems)


def _failed_batch(batch: ImportBatch, report: dict, problems: list[Problem]) -> None:
    """Keep, on a web upload's batch that cannot be imported, the report and every problem (its page
    lists them all, paged) before the worker marks it failed."""
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.RUNNING).update(report=_stored(report))
        ImportIssue.objects.filter(batch=batch).delete()
    issues_write(batch, problem_issues(problems) + report_issues(report))


def _stored(report: dict) -> dict:
    """The merge report as a batch keeps it: without the long lists, which are its issues."""
    return {k: v for k, v in report.items() if k not in ("notes", "rejected")}


def import_files(paths: Sequence[str | os.PathLike], *, organization: Organization, actor=None,
                 mapping: dict[str, str] | None = None, progress: Progress | None = None,
                 today: dt.date | None = None, batch: ImportBatch | None = None) -> ImportSummary:
    """Merge the rolls at `paths` and import the persons as members of `organization`'s subtree.

    `progress(stage, done, total)`: "read" (files), "rows_read", "compare" (blocks), "matched"
    (records, persons), "import" (persons, once per write transaction, inside it); it may raise to stop
    the import.  `batch`: a "running" batch created beforehand (the web upload) to fill in instead of
    creating one.  Raises `RegistryImportError` (or `RegistryInputError` for unreadable input) with a
    Vietnamese message.

    All or nothing, written in short transactions so other writes keep flowing: every problem found
    in the files (and ID numbers already in the registry) is reported before anything is written;
    then the members go in chunks (see :func:`_limits`) while the batch stays "running", and the last
    transaction writes the review pairs and makes the batch "done". If anything fails (or the
    progress callback stops it) the members already written are removed again, also in short
    transactions, and the batch is deleted (created here) or left to the caller to mark failed.
    """
    if organization.valid_to is not None:
        raise RegistryImportError(f"«{organization.name}» đã giải thể, không nhận danh sách.")
    result, raw = _read_and_merge(paths, mapping, progress)
    records = {r.ref: r for r in result.records}
    index = _org_index(organization)
    plans, errors = [], []
    for person in result.persons:
        refs = person["sources"].split(";")
        where = f"{', '.join(refs)} ({person['full_name']})"
        org, problem = _person_org(person, organization, index, where)
        missing = [what for what, gap in (("ngày vào Đảng", not person["admission_date"]),
                                          ("giới tính", person["sex"] not in SEX_CODES)) if gap]
        said = [problem.removeprefix(f"{where}: ")] if problem else []
        if missing:
            said.append(f"thiếu {' và '.join(missing)}")
        if said:  # one line per person, whatever is wrong with them
            errors.append(Problem(refs, person["full_name"], "; ".join(said)))
        plans.append((person, refs, org, where))
    hint = ""
    if not errors:
        errors, hint = conflicts(plans, actor=actor)
    if errors:
        if batch is not None:
            _failed_batch(batch, result.report, errors)
        raise _refused(errors, hint)

    created_here = batch is None
    with transaction.atomic():
        if batch is None:
            batch = ImportBatch.objects.create(
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_by_name=actor.get_username() if getattr(actor, "is_authenticated", False) else "hệ thống",
                organization=organization, org_path=organization.path, status=ImportBatch.RUNNING,
                files=[Path(p).name for p in paths], report=_stored(result.report), heartbeat_at=timezone.now(),
            )
        else:
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ImportBatch.RUNNING:
                raise RegistryImportError(f"Lần nhập #{batch.pk} không còn ở trạng thái đang nhập.")
            batch.report, batch.heartbeat_at = _stored(result.report), timezone.now()
            batch.save(update_fields=["report", "heartbeat_at"])
            ImportIssue.objects.filter(batch=batch).delete()  # a job given back (SIGTERM) and run again
    try:
        source_rows = _write_members(batch, plans, records, raw, actor=actor, today=today, progress=progress)
        issues_write(batch, report_issues(result.report), link_members=True, pause=lambda: _pause(_limits()[2]))
        with transaction.atomic():
            summary = _finish(batch, result, len(plans), source_rows, actor=actor)
    except BaseException:
        _remove_written(batch.pk, actor=actor)
        if created_here:
            ImportBatch.objects.filter(pk=batch.pk).delete()
        raise
    return summary


def _write_members(batch: ImportBatch, plans: list, records: dict, raw: dict, *, actor, today,
                   progress: Progress | None) -> int:
    """Create the members and their source rows, a chunk per transaction; returns the rows written."""
    chunk_seconds, chunk_members, pause = _limits()
    total, n, written = len(plans), 0, 0
    while n < total:
        started = time.monotonic()
        # the chunk's tally deltas in one upsert, its members' badge days recomputed once
        with transaction.atomic(), tallies_batched(), badge_days_batched():
            rows: list[SourceRecord] = []
            for person, refs, org, where in plans[n:n + chunk_members]:
                n += 1
                admission = _member_date(person["admission_date"])
                official = _member_date(person["official_date"], not_before=member_rules.probation_end(admission))
                profile = {
                    "full_name": person["full_name"], "sex": SEX_CODES[person["sex"]],
                    "birth_date": _member_date(person["birth_date"]), "national_id": person["national_id"],
                    "card_number": person["party_card_no"], "home_town": person["home_town"],
                }
                try:
                    member = member_create(actor=actor, organization=org, profile=profile, admission_date=admission,
                                           official_date=official, today=today)
                except InvalidInput as exc:
                    raise RegistryImportError(f"Không nhập được danh sách (chưa lưu gì):\n{where}: {exc.message}") from None
                for ref in refs:
                    rec = records[ref]
                    data = dataclasses.asdict(rec)
                    data.pop("index", None)
                    data.update(person_id=person["person_id"], match=person["match"],
                                card_history=[c for c in person["card_history"].split(";") if c],
                                admission_precision=_precision(rec.admission_date),
                                official_precision=_precision(rec.official_date))
                    rows.append(SourceRecord(batch=batch, ref=ref, data=data, raw=raw.get(ref, {}), member=member))
                if time.monotonic() - started >= chunk_seconds:
                    break
            SourceRecord.objects.bulk_create(rows, batch_size=500)
            written += len(rows)
            ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())
            if progress:
                progress("import", n, total)
        held = time.monotonic() - started
        if held > 1:  # other writers waited this long: say so (a busy or swapping machine)
            log.warning("import %s: one write transaction took %.1f s", batch.pk, held)
        if n < total:
            _pause(pause)
    return written


def _finish(batch: ImportBatch, result: MergeResult, persons: int, source_rows: int, *, actor) -> ImportSummary:
    """The import's last transaction: the review pairs, the batch "done", the audit event."""
    batch = ImportBatch.objects.select_for_update().select_related("organization").get(pk=batch.pk)
    if batch.status != ImportBatch.RUNNING:
        raise RegistryImportError(f"Lần nhập #{batch.pk} không còn ở trạng thái đang nhập.")
    by_ref = dict(SourceRecord.objects.filter(batch=batch).values_list("ref", "pk"))
    pairs = []
    for row in result.review_pairs:
        if row["person_a"] == row["person_b"]:
            continue
        kind = row.get("kind") or "some"
        pairs.append(ReviewPair(
            batch=batch, record_a_id=by_ref[row["ref_a"]], record_b_id=by_ref[row["ref_b"]],
            comparison={f: {"a": row[f"{f}_a"], "b": row[f"{f}_b"], "cmp": row[f"{f}_cmp"]}
                        for f in (*COMPARED, "admission_date")},
            score=float(row["score"]), reason=str(row.get("reason") or "")[:255], kind=kind, rank=KIND_RANK[kind],
        ))
    ReviewPair.objects.bulk_create(pairs, batch_size=500)
    batch.members_created = persons
    batch.status, batch.error, batch.heartbeat_at = ImportBatch.DONE, "", timezone.now()
    batch.progress = dict(batch.progress or {}, stage="done", percent=100, members_imported=persons, persons=persons)
    batch.save(update_fields=["members_created", "status", "error", "progress", "heartbeat_at"])
    summary = ImportSummary(batch, persons, source_rows, len(pairs), result)
    audit_record(actor=actor, action="registry.import", obj=batch, org_path=batch.org_path,
                 after={"files": batch.files, **summary.as_json()})
    return summary


#: Members removed per transaction when an unfinished import is taken back.
REMOVE_CHUNK = 100


def _remove_written(batch_id: int, *, actor=None) -> int:
    """Take back what an unfinished import wrote: its members (with their events and counters), source
    rows and pairs, in short transactions. Safe to repeat and to run twice at once (the members are
    locked and counted down only when this transaction deletes them). Returns the members removed."""
    _seconds, _members, pause = _limits()
    removed, kept = 0, set()
    while True:
        with transaction.atomic():
            ids = list(SourceRecord.objects.filter(batch_id=batch_id, member__isnull=False)
                       .exclude(member_id__in=kept).order_by("member_id")
                       .values_list("member_id", flat=True).distinct()[:REMOVE_CHUNK])
            if not ids:
                break
            members = list(Member.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            try:
                with transaction.atomic():
                    _members_delete(members)
                gone = [m.pk for m in members]
            except ProtectedError:  # one was used meanwhile (a delegate, a review): one by one, keep those
                gone = []
                for member in members:
                    try:
                        with transaction.atomic():
                            _members_delete([member])
                        gone.append(member.pk)
                    except ProtectedError:
                        log.warning("import %s: member %s is in use elsewhere; not removed", batch_id, member.pk)
                        kept.add(member.pk)
            if gone:
                batch = ImportBatch.objects.filter(pk=batch_id).first()
                if batch is not None:
                    audit_record(actor=actor, action="registry.import_removed", obj=batch, org_path=batch.org_path,
                                 after={"members_removed": len(gone)})
        removed += len(gone)
        _pause(pause)
    with transaction.atomic():
        ReviewPair.objects.filter(batch_id=batch_id).delete()
        SourceRecord.objects.filter(batch_id=batch_id).exclude(member_id__in=kept).delete()
    return removed


def _members_delete(members: list[Member]) -> None:
    for member in members:
        counts_apply(member.organization_id, member.state, None, None)
        probation.moved(probation.key(member), None)  # procedures.kept (MEM-1)
        badges.moved(badges.stored_key(member.pk), None)  # procedures.badgekept (MEM-3)
    with member_tallied(*[m.pk for m in members]):  # reports.tallies
        Member.objects.filter(pk__in=[m.pk for m in members]).delete()


#: What a batch whose importing process died says.
IMPORT_DIED = ("Lần nhập bị dừng giữa chừng (tiến trình nhập đã tắt hoặc máy chủ khởi động lại). "
               "Các đảng viên đã ghi dở đã được xoá — hãy nhập lại.")


def batch_fail(batch_id: int, message: str, *, actor_id: int | None = None) -> None:
    """Mark a running batch failed with `message` after removing what it wrote (idempotent)."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    _remove_written(batch_id, actor=actor)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatch.RUNNING:
            return
        batch.status, batch.error = ImportBatch.FAILED, message
        batch.progress = dict(batch.progress or {}, stage="failed")
        batch.save(update_fields=["status", "error", "progress"])
        audit_record(actor=actor, action="registry.upload_failed", obj=batch, org_path=batch.org_path,
                     after={"error": message[:500]})


def batches_recover(*, now: dt.datetime | None = None) -> list[int]:
    """Fail the batches left "running" by a dead process: an import of the command line whose batch
    heard nothing for `stale_seconds` (jobs settings), or a web upload whose job has ended (a worker
    died between failing the job and the batch). Run by the worker's recovery pass."""
    from dangbo.jobs.models import Job
    from dangbo.jobs.services import conf

    cutoff = (now or timezone.now()) - dt.timedelta(seconds=conf("stale_seconds"))
    stale = ImportBatch.objects.filter(status=ImportBatch.RUNNING).filter(
        Q(job__isnull=True, heartbeat_at__lt=cutoff) | Q(job__isnull=True, heartbeat_at__isnull=True, created_at__lt=cutoff)
        | Q(job__status__in=(Job.DONE, Job.FAILED))).select_related("job")
    failed = []
    for batch in stale:
        message = (batch.job.error if batch.job and batch.job.error else IMPORT_DIED)
        log.warning("import %s was left running; failing it", batch.pk)
        batch_fail(batch.pk, message, actor_id=batch.created_by_id)
        failed.append(batch.pk)
    return failed


# ---------------------------------------------------------------- review decisions


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def member_snapshot(member: Member) -> dict[str, Any]:
    """Every stored field of `member` and of each of its events (JSON-safe; ids left out)."""
    events = [{f.attname: _json(f.value_from_object(e)) for f in _fields(MemberEvent) if f.name != "member"}
              for e in member.events.order_by("date", "seq", "id")]
    return {"member": {f.attname: _json(f.value_from_object(member)) for f in _fields(Member)}, "events": events}


def _member_restore(snapshot: dict[str, Any]) -> Member:
    member = Member()
    for f in _fields(Member):
        if f.attname in snapshot["member"]:  # snapshots from before a field existed keep its default
            setattr(member, f.attname, f.to_python(snapshot["member"][f.attname]))
    member.save(force_insert=True)
    events = []
    for values in snapshot["events"]:
        e = MemberEvent(member=member)
        for f in _fields(MemberEvent):
            if f.name != "member":
                setattr(e, f.attname, f.to_python(values[f.attname]))
        events.append(e)
    MemberEvent.objects.bulk_create(events)
    badge_day_keep(member)  # members.badgedays (MEM-3)
    badges.moved(None, badges.stored_key(member.pk))  # procedures.badgekept (MEM-3)
    counts_apply(None, None, member.organization_id, member.state)
    probation.moved(None, probation.key(member))  # procedures.kept (MEM-1)
    tally_created(member.pk)  # reports.tallies
    return member


def _lock_open(pair: ReviewPair) -> ReviewPair:
    pair = ReviewPair.objects.select_for_update().select_related("batch", "record_a", "record_b").get(pk=pair.pk)
    if pair.status != ReviewPair.OPEN:
        raise InvalidInput("Cặp này đã được quyết định.")
    return pair


def _decided(pair: ReviewPair, actor, status: str, undo: dict) -> None:
    """Record a decision; reopening clears who decided (the audit log keeps every step)."""
    pair.status, pair.undo = status, undo
    decided = status != ReviewPair.OPEN
    pair.decided_by = actor if decided and getattr(actor, "is_authenticated", False) else None
    pair.decided_at = timezone.now() if decided else None
    pair.save(update_fields=["status", "undo", "decided_by", "decided_at"])


@transaction.atomic
def pair_merge(*, actor, pair: ReviewPair) -> Member:
    """Merge the pair's second member into the first ("Hợp nhất"); returns the kept member."""
    pair = _lock_open(pair)
    a, b = pair.record_a.member, pair.record_b.member
    if a is None or b is None:
        raise InvalidInput("Một trong hai đảng viên không còn trong danh sách.")
    if a.pk == b.pk:
        raise InvalidInput("Hai dòng này đã thuộc cùng một đảng viên.")
    if Account.objects.filter(member=b).exists():
        raise InvalidInput(f"«{b.full_name}» đã có tài khoản đăng nhập; không thể hợp nhất vào người khác.")
    snapshot = member_snapshot(b)
    moved = list(b.source_records.order_by("pk").values_list("pk", flat=True))
    filled = {f: getattr(b, f) for f in FILL_FIELDS if not getattr(a, f) and getattr(b, f)}
    SourceRecord.objects.filter(pk__in=moved).update(member=a)
    audit_record(actor=actor, action="member.merged_away", obj=b, org_path=b.org_path,
                 before={"full_name": b.full_name, "organization": b.organization_id, "state": b.state},
                 after={"merged_into": a.pk, "pair": pair.pk})
    removed_id = b.pk
    counts_apply(b.organization_id, b.state, None, None)
    probation.moved(probation.key(b), None)  # procedures.kept (MEM-1)
    badges.moved(badges.stored_key(b.pk), None)  # procedures.badgekept (MEM-3)
    with member_tallied(b.pk):  # reports.tallies
        b.delete()
    if filled:
        member_update(actor=actor, member=a, profile=filled)
    _decided(pair, actor, ReviewPair.MERGED, {
        "kept": a.pk, "removed": removed_id, "snapshot": snapshot, "moved_records": moved,
        "filled": {f: _json(v) for f, v in filled.items()},
    })
    audit_record(actor=actor, action="registry.merge", obj=pair, org_path=a.org_path,
                 after={"kept": a.pk, "removed": removed_id, "records_moved": len(moved),
                        "filled": sorted(filled)}, label=f"{pair} → {a.full_name}")
    return a


@transaction.atomic
def pair_keep_apart(*, actor, pair: ReviewPair) -> ReviewPair:
    """Record that the pair's two members are different people ("Giữ riêng")."""
    pair = _lock_open(pair)
    _decided(pair, actor, ReviewPair.KEPT_APART, {})
    audit_record(actor=actor, action="registry.keep_apart", obj=pair, org_path=pair.batch.org_path,
                 after={"a": pair.record_a.member_id, "b": pair.record_b.member_id})
    return pair


@transaction.atomic
def pair_undo(*, actor, pair: ReviewPair) -> ReviewPair:
    """Revert the pair's decision ("Hoàn tác"): un-merge restores the removed member exactly; the pair reopens."""
    pair = ReviewPair.objects.select_for_update().select_related("batch").get(pk=pair.pk)
    if pair.status == ReviewPair.OPEN:
        raise InvalidInput("Cặp này chưa được quyết định.")
    if pair.status == ReviewPair.KEPT_APART:
        _decided(pair, actor, ReviewPair.OPEN, {})
        audit_record(actor=actor, action="registry.reopen", obj=pair, org_path=pair.batch.org_path,
                     before={"status": ReviewPair.KEPT_APART}, after={"status": ReviewPair.OPEN})
        return pair
    undo = pair.undo
    kept = Member.objects.select_for_update().filter(pk=undo["kept"]).first()
    moved = undo["moved_records"]
    if kept is None or SourceRecord.objects.filter(pk__in=moved).exclude(member=kept).exists():
        raise InvalidInput("Không hoàn tác được: các dòng nguồn đã thay đổi sau lần hợp nhất này — "
                           "hãy hoàn tác các quyết định sau trước.")
    revert = {}
    for f, value in undo["filled"].items():
        current = _json(getattr(kept, f))
        if current == value:
            revert[f] = "" if f in ("card_number", "home_town", "national_id") else None
    if revert:
        member_update(actor=actor, member=kept, profile=revert)
    nid = undo["snapshot"]["member"].get("national_id")
    if nid and Member.objects.filter(national_id=nid).exists():
        raise InvalidInput("Không hoàn tác được: số định danh của đảng viên cần khôi phục đã thuộc người khác.")
    restored = _member_restore(undo["snapshot"])
    SourceRecord.objects.filter(pk__in=moved).update(member=restored)
    audit_record(actor=actor, action="member.restored", obj=restored, org_path=restored.org_path,
                 after={"full_name": restored.full_name, "organization": restored.organization_id,
                        "state": restored.state, "was": undo["removed"], "pair": pair.pk})
    _decided(pair, actor, ReviewPair.OPEN, {})
    audit_record(actor=actor, action="registry.unmerge", obj=pair, org_path=pair.batch.org_path,
                 before={"kept": kept.pk, "removed": undo["removed"]},
                 after={"restored": restored.pk, "records_moved_back": len(moved), "reverted": sorted(revert)})
    return pair
