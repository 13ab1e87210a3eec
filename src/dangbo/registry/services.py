"""Writes of the registry import and its review queue; each runs in one transaction with its audit events.

- :func:`import_files` — `dangbo registry import`: the same merge as `dangbo registry merge`, then one
  member per merged person through `members.services.member_create`, every source row kept as a
  :class:`SourceRecord` (provenance), the review pairs queued. All or nothing.
- :func:`upload_start` — the web upload (/nhap-danh-sach/tai-len/): saves the files, creates the
  batch "running" and runs :func:`import_files` into it in a background thread, which writes its
  progress (files and rows read, records matched, members imported) to the batch; a failure marks
  the batch "failed" with the Vietnamese message and saves nothing else.
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
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from dangbo.accounts.models import Account
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.members import rules as member_rules
from dangbo.members.models import Member, MemberEvent
from dangbo.members.services import member_create, member_update
from dangbo.orgs import rules as org_rules
from dangbo.orgs.counts import counts_apply
from dangbo.orgs.models import Organization
from dangbo.registry.merge import COMPARED, MergeResult, Progress, merge_reads, read_files
from dangbo.registry.models import ImportBatch, ReviewPair, SourceRecord
from dangbo.registry.readers import RegistryInputError
from dangbo.text.vietnamese import fold

log = logging.getLogger(__name__)

SEX_CODES = {"Nam": "M", "Nữ": "F"}
#: Identity fields a merge fills in on the kept member when it lacks them and the removed one has them.
FILL_FIELDS = ("national_id", "card_number", "birth_date", "home_town")
MAX_ERRORS = 20


class RegistryImportError(Exception):
    """An import that cannot be done; ``str(error)`` is a Vietnamese message. Nothing was saved."""


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


def import_files(paths: Sequence[str | os.PathLike], *, organization: Organization, actor=None,
                 mapping: dict[str, str] | None = None, progress: Progress | None = None,
                 today: dt.date | None = None, batch: ImportBatch | None = None) -> ImportSummary:
    """Merge the rolls at `paths` and import the persons as members of `organization`'s subtree.

    `progress(stage, done, total)`: "read" (files), "rows_read", "compare" (blocks), "matched"
    (records, persons), "import" (persons).  `batch`: a "running" batch created beforehand (the web
    upload) to fill in instead of creating one.  Raises `RegistryImportError` (or
    `RegistryInputError` for unreadable input) with a Vietnamese message; then nothing is saved.
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
        if problem:
            errors.append(problem)
        if not person["admission_date"]:
            errors.append(f"{where}: thiếu ngày vào Đảng")
        if person["sex"] not in SEX_CODES:
            errors.append(f"{where}: thiếu giới tính")
        plans.append((person, refs, org, where))
    if errors:
        more = f"\n… và {len(errors) - MAX_ERRORS} lỗi khác" if len(errors) > MAX_ERRORS else ""
        raise RegistryImportError("Không nhập được danh sách (chưa lưu gì):\n" + "\n".join(errors[:MAX_ERRORS]) + more)

    with transaction.atomic():
        if batch is None:
            batch = ImportBatch.objects.create(
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_by_name=actor.get_username() if getattr(actor, "is_authenticated", False) else "hệ thống",
                organization=organization, org_path=organization.path,
                files=[Path(p).name for p in paths], report=result.report,
            )
        else:
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ImportBatch.RUNNING:
                raise RegistryImportError(f"Lần nhập #{batch.pk} không còn ở trạng thái đang nhập.")
            batch.report = result.report
        rows: list[SourceRecord] = []
        step = max(1, len(plans) // 100)
        for n, (person, refs, org, where) in enumerate(plans, start=1):
            if progress and (n % step == 0 or n == len(plans)):
                progress("import", n, len(plans))
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
        SourceRecord.objects.bulk_create(rows, batch_size=500)
        by_ref = {r.ref: r for r in SourceRecord.objects.filter(batch=batch)}
        pairs = []
        for row in result.review_pairs:
            if row["person_a"] == row["person_b"]:
                continue
            pairs.append(ReviewPair(
                batch=batch, record_a=by_ref[row["ref_a"]], record_b=by_ref[row["ref_b"]],
                comparison={f: {"a": row[f"{f}_a"], "b": row[f"{f}_b"], "cmp": row[f"{f}_cmp"]} for f in COMPARED},
                score=float(row["score"]), reason=str(row.get("reason") or "")[:255],
            ))
        ReviewPair.objects.bulk_create(pairs, batch_size=500)
        batch.members_created = len(plans)
        batch.status, batch.error = ImportBatch.DONE, ""
        batch.progress = dict(batch.progress or {}, stage="done", percent=100, members_imported=len(plans),
                              persons=len(plans))
        batch.save(update_fields=["members_created", "report", "status", "error", "progress"])
        summary = ImportSummary(batch, len(plans), len(rows), len(pairs), result)
        audit_record(actor=actor, action="registry.import", obj=batch, org_path=organization.path,
                     after={"files": batch.files, **summary.as_json()})
    return summary


# ---------------------------------------------------------------- web upload

UPLOAD_EXTENSIONS = (".xlsx", ".xls", ".csv")
MAX_UPLOAD_FILES = 20
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # per file

#: Live progress of the uploads running in this process (batch id → state).  The batch row gets the
#: same state while reading and matching; during the import transaction only this dict moves (the
#: row's update is seen by others at commit), so another server process shows the stage boundary.
_LIVE: dict[int, dict[str, Any]] = {}
_LIVE_LOCK = threading.Lock()
#: Share of the progress bar per stage (read files, match, import members).
_SPAN = {"read": (0, 35), "compare": (40, 70), "import": (70, 100)}


def _thread_runner(job: Callable[[], None]) -> None:
    threading.Thread(target=job, name="registry-upload", daemon=True).start()


#: How upload_start runs the import: a background thread (tests may run it inline).
RUNNER: Callable[[Callable[[], None]], None] = _thread_runner


class _BatchProgress:
    """A `Progress` callback that keeps the batch's progress state: in `_LIVE` on every call, in the
    batch row (at most twice a second, and at each stage's end) outside the import transaction."""

    def __init__(self, batch_id: int, files: int):
        self.batch_id, self.last = batch_id, 0.0
        self.state: dict[str, Any] = {"stage": "read", "percent": 0, "files": files, "files_read": 0,
                                      "rows_read": 0, "records_matched": 0, "persons": 0, "members_imported": 0}
        self._publish(save=True)

    def __call__(self, stage: str, done: int, total: int) -> None:
        st = self.state
        if stage == "read":
            st["files_read"] = done
        elif stage == "rows_read":
            st["rows_read"] = done
        elif stage == "compare":
            st["stage"] = "compare"
        elif stage == "matched":
            st.update(stage="import", records_matched=done, persons=total, percent=_SPAN["import"][0])
        elif stage == "import":
            st.update(stage="import", members_imported=done, persons=total)
        if stage in _SPAN:
            lo, hi = _SPAN[stage]
            st["percent"] = int(lo + (hi - lo) * (done / total if total else 1))
        now = time.monotonic()
        end = done >= total or stage in ("rows_read", "matched")
        self._publish(save=stage != "import" and (end or now - self.last >= 0.5))

    def _publish(self, *, save: bool) -> None:
        with _LIVE_LOCK:
            _LIVE[self.batch_id] = dict(self.state)
        if save:
            self.last = time.monotonic()
            try:
                ImportBatch.objects.filter(pk=self.batch_id, status=ImportBatch.RUNNING).update(
                    progress=dict(self.state))
            except OperationalError:  # a busy database: progress is best effort, never the import's failure
                log.warning("registry upload %s: progress not saved (database busy)", self.batch_id)


def live_progress(batch: ImportBatch) -> dict[str, Any]:
    """The freshest progress of `batch`: this process's live state while it runs, else the row's."""
    if batch.status == ImportBatch.RUNNING:
        with _LIVE_LOCK:
            live = _LIVE.get(batch.pk)
        if live:
            return dict(live)
    return dict(batch.progress or {})


def _check_upload(files: Sequence[Any]) -> None:
    if not files:
        raise InvalidInput("Chưa chọn tệp danh sách nào.", field="files")
    if len(files) > MAX_UPLOAD_FILES:
        raise InvalidInput(f"Mỗi lần nhập tối đa {MAX_UPLOAD_FILES} tệp.", field="files")
    names = []
    for f in files:
        name = Path(f.name or "").name
        if not name or name.startswith("."):
            raise InvalidInput(f"Tệp «{f.name}»: tên tệp không hợp lệ.", field="files")
        if not name.lower().endswith(UPLOAD_EXTENSIONS):
            raise InvalidInput(f"Tệp «{name}»: chỉ nhận tệp .xlsx, .xls hoặc .csv.", field="files")
        if f.size > MAX_UPLOAD_BYTES:
            raise InvalidInput(f"Tệp «{name}»: lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", field="files")
        if name in names:
            raise InvalidInput(f"Tệp «{name}»: được chọn hai lần (hoặc hai tệp trùng tên) — nguồn "
                               "TỆP:DÒNG sẽ không phân biệt được; hãy đổi tên một tệp.", field="files")
        names.append(name)


def upload_start(*, actor, organization: Organization, files: Sequence[Any],
                 mapping: dict[str, str] | None = None) -> ImportBatch:
    """Start the import of uploaded rolls (Django ``UploadedFile``s) into `organization`'s subtree.

    Checks the files (Vietnamese `InvalidInput` naming the file), saves them under
    ``VAR_DIR/registry-uploads/``, creates the batch "running" (audited) and hands
    :func:`import_files` to :data:`RUNNER`; returns the batch at once.
    """
    _check_upload(files)
    if organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể, không nhận danh sách.", field="organization")
    root = Path(settings.VAR_DIR) / "registry-uploads"
    root.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="upload-", dir=root))
    paths = []
    try:
        for f in files:
            target = directory / Path(f.name).name
            with target.open("wb") as out:
                for chunk in f.chunks():
                    out.write(chunk)
            paths.append(target)
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_by_name=actor.get_username() if getattr(actor, "is_authenticated", False) else "hệ thống",
                organization=organization, org_path=organization.path, files=[p.name for p in paths],
                status=ImportBatch.RUNNING, progress={"stage": "read", "percent": 0, "files": len(paths)},
            )
            audit_record(actor=actor, action="registry.upload", obj=batch, org_path=organization.path,
                         after={"files": batch.files, "organization": organization.pk})
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    RUNNER(lambda: _run_upload(batch.pk, paths, mapping, actor_id, directory))
    return batch


def _run_upload(batch_id: int, paths: list[Path], mapping: dict[str, str] | None, actor_id: int | None,
                directory: Path) -> None:
    """The background part of :func:`upload_start`: import, or mark the batch failed (nothing else saved)."""
    in_thread = threading.current_thread() is not threading.main_thread()
    if in_thread:
        close_old_connections()
    progress = None
    try:
        batch = ImportBatch.objects.select_related("organization").get(pk=batch_id)
        from django.contrib.auth import get_user_model

        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        progress = _BatchProgress(batch_id, len(paths))
        import_files(paths, organization=batch.organization, actor=actor, mapping=mapping, progress=progress,
                     batch=batch)
    except (RegistryInputError, RegistryImportError, InvalidInput) as exc:
        _upload_failed(batch_id, actor_id, getattr(exc, "message", None) or str(exc), progress)
    except Exception as exc:  # an unexpected bug: still say so on the page, never leave it "running"
        log.exception("registry upload %s failed", batch_id)
        _upload_failed(batch_id, actor_id, f"Lỗi không mong đợi khi nhập danh sách (chưa lưu gì): {exc}", progress)
    finally:
        with _LIVE_LOCK:
            _LIVE.pop(batch_id, None)
        shutil.rmtree(directory, ignore_errors=True)
        if in_thread:
            connection.close()


def _upload_failed(batch_id: int, actor_id: int | None, message: str, progress: _BatchProgress | None) -> None:
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    state = dict(progress.state if progress else {}, stage="failed")
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        batch.status, batch.error, batch.progress = ImportBatch.FAILED, message, state
        batch.save(update_fields=["status", "error", "progress"])
        audit_record(actor=actor, action="registry.upload_failed", obj=batch, org_path=batch.org_path,
                     after={"error": message[:500]})


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
    counts_apply(None, None, member.organization_id, member.state)
    return member


def _lock_open(pair: ReviewPair) -> ReviewPair:
    pair = ReviewPair.objects.select_for_update().select_related("batch", "record_a", "record_b").get(pk=pair.pk)
    if pair.status != ReviewPair.OPEN:
        raise InvalidInput("Cặp này đã được quyết định.")
    return pair


def _decided(pair: ReviewPair, actor, status: str, undo: dict) -> None:
    pair.status, pair.undo = status, undo
    pair.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    pair.decided_at = timezone.now() if status != ReviewPair.OPEN else None
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
