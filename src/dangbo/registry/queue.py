"""The review queue people can finish (issue 15): decisions in bulk per class with one undo, pairs
assigned to a cell's secretary, and decisions taken on paper imported back.

- :func:`bulk_preview` / :func:`bulk_decide` — "Giữ riêng tất cả" / "Hợp nhất tất cả" for the open
  pairs of one class (`ReviewPair.kind`), strongest first, in one transaction; a pair that cannot be
  decided (already in one member, a login on the member to remove …) is skipped with its reason.
- :func:`bulk_undo` — takes back every decision of a bulk decision (newest first), all or nothing;
  every member restored exactly (`services.pair_undo`).
- :func:`assign` — the open pairs whose two members are in an organisation's subtree go to that
  organisation: its secretary sees and decides them (`selectors.pair_get_for_decision`).
- :func:`decisions_import` — the queue's Excel export (:mod:`registry.exports`) with the column
  «Quyết định» filled in ("Hợp nhất" / "Giữ riêng"): every row checked first (Vietnamese errors
  naming the row), then all applied in one transaction, or none.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangbo.accounts.models import Account
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.orgs.models import Organization
from dangbo.registry import services
from dangbo.registry.models import BulkDecision, ImportBatch, ReviewPair
from dangbo.text.vietnamese import fold

#: The classes of review pairs in words (`ReviewPair.kind`, registry.matching.KINDS), strongest first.
KIND_LABELS = {
    "id_same": "Cùng số CCCD nhưng họ tên, năm sinh hoặc ngày vào Đảng khác",
    "id_typo": "Cùng họ tên, ngày sinh, ngày vào Đảng; số CCCD lệch một chữ số",
    "card_same": "Cùng số thẻ đảng viên nhưng họ tên, ngày sinh hoặc ngày vào Đảng khác",
    "strong": "Cùng họ tên và từ hai thông tin trở lên (ngày sinh, ngày vào Đảng, quê quán); thiếu số CCCD",
    "ambiguous": "Cùng họ tên, ngày sinh, quê quán nhưng còn người khác cùng họ tên, năm sinh",
    "parts": "Họ tên đảo thứ tự hoặc khác một phần; cùng ngày sinh",
    "mixed": "Cùng họ tên và hai thông tin, một thông tin khác",
    "some": "Cùng họ tên và một thông tin (ngày sinh, ngày vào Đảng hoặc quê quán)",
    "thin": "Chỉ cùng họ tên và năm sinh; tệp thiếu các thông tin khác để so",
    "refused": "Gộp sẽ đưa hai số CCCD, hai số thẻ, hai giới tính hoặc hai quê quán khác nhau vào một người",
}
ACTIONS = {BulkDecision.MERGE: services.pair_merge, BulkDecision.KEEP_APART: services.pair_keep_apart}
#: Decisions written in the «Quyết định» column of the exported queue (folded) → action.
DECISION_WORDS = {"hop nhat": BulkDecision.MERGE, "gop": BulkDecision.MERGE, "giu rieng": BulkDecision.KEEP_APART}
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000


def open_pairs(batch: ImportBatch, kind: str):
    return ReviewPair.objects.filter(batch=batch, kind=kind, status=ReviewPair.OPEN).order_by("rank", "-score", "id")


def bulk_preview(batch: ImportBatch, kind: str, *, sample: int = 10) -> tuple[int, list[ReviewPair]]:
    """How many open pairs of the class a bulk decision would decide, and the first few."""
    qs = open_pairs(batch, kind)
    return qs.count(), list(qs.select_related("record_a__member__organization", "record_b__member__organization")
                            [:sample])


def _check_kind(kind: str, action: str) -> None:
    if kind not in KIND_LABELS:
        raise InvalidInput("Loại cặp không hợp lệ.", field="kind")
    if action not in ACTIONS:
        raise InvalidInput("Quyết định không hợp lệ (Hợp nhất tất cả hoặc Giữ riêng tất cả).", field="action")


@transaction.atomic
def bulk_decide(*, actor, batch: ImportBatch, kind: str, action: str) -> BulkDecision:
    """Decide every open pair of class `kind` in `batch` the same way, as one undoable decision."""
    _check_kind(kind, action)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.DONE:
        raise InvalidInput("Lần nhập này chưa xong hoặc bị lỗi: không có cặp nào để quyết định.")
    bulk = BulkDecision.objects.create(batch=batch, kind=kind, action=action,
                                       decided_by=actor if getattr(actor, "is_authenticated", False) else None)
    decided, skipped = [], []
    for pair in list(open_pairs(batch, kind)):
        try:
            with transaction.atomic():
                ACTIONS[action](actor=actor, pair=pair)
        except InvalidInput as exc:
            skipped.append({"pair": pair.pk, "reason": exc.message})
        else:
            decided.append(pair.pk)
    if not decided:
        raise InvalidInput("Không có cặp nào được quyết định" + (f": {skipped[0]['reason']}" if skipped else "."))
    ReviewPair.objects.filter(pk__in=decided).update(bulk=bulk)
    bulk.count, bulk.skipped = len(decided), skipped
    bulk.save(update_fields=["count", "skipped"])
    audit_record(actor=actor, action="registry.bulk_decide", obj=batch, org_path=batch.org_path,
                 after={"kind": kind, "action": action, "pairs": len(decided), "skipped": len(skipped)},
                 label=f"{bulk.get_action_display()}: {KIND_LABELS[kind]}")
    return bulk


@transaction.atomic
def bulk_undo(*, actor, bulk: BulkDecision) -> int:
    """Take back every decision of `bulk`, newest first, all or nothing; returns the pairs reopened."""
    bulk = BulkDecision.objects.select_for_update().select_related("batch").get(pk=bulk.pk)
    if bulk.undone_at is not None:
        raise InvalidInput("Quyết định hàng loạt này đã được hoàn tác.")
    pairs = list(ReviewPair.objects.filter(bulk=bulk).order_by("-decided_at", "-id"))
    for pair in pairs:
        if pair.status == ReviewPair.OPEN:
            continue
        try:
            services.pair_undo(actor=actor, pair=pair)
        except InvalidInput as exc:
            raise InvalidInput(f"Không hoàn tác được (chưa thay đổi gì): cặp {pair.pk} — {exc.message}") from None
    ReviewPair.objects.filter(bulk=bulk).update(bulk=None)
    bulk.undone_at = timezone.now()
    bulk.save(update_fields=["undone_at"])
    audit_record(actor=actor, action="registry.bulk_undo", obj=bulk.batch, org_path=bulk.batch.org_path,
                 after={"kind": bulk.kind, "action": bulk.action, "pairs": len(pairs)})
    return len(pairs)


def _both_in(org: Organization) -> Q:
    return Q(record_a__member__org_path__startswith=org.path, record_b__member__org_path__startswith=org.path)


def assignable(batch: ImportBatch) -> list[tuple[Organization, int, int]]:
    """The organisations with open pairs of the batch whose two members are both theirs — the cells,
    and above them each grassroots organisation — with (open pairs, pairs already assigned there)."""
    rows = ReviewPair.objects.filter(batch=batch, status=ReviewPair.OPEN).values_list(
        "record_a__member__organization_id", "record_b__member__organization_id", "assigned_org_id")
    same: dict[int, list[int]] = {}
    for a, b, assigned in rows:
        if a is not None and a == b:
            counts = same.setdefault(a, [0, 0])
            counts[0] += 1
            counts[1] += assigned == a
    orgs = Organization.objects.in_bulk(list(same))
    return sorted(((orgs[k], v[0], v[1]) for k, v in same.items() if k in orgs), key=lambda t: t[0].path)


@transaction.atomic
def assign(*, actor, batch: ImportBatch, organization: Organization) -> int:
    """Give the open pairs of `batch` whose two members are in `organization`'s subtree to that
    organisation's secretary; returns how many."""
    if not organization.path.startswith(batch.org_path):
        raise InvalidInput("Tổ chức này không thuộc nơi nhận danh sách của lần nhập.", field="organization")
    n = ReviewPair.objects.filter(_both_in(organization), batch=batch, status=ReviewPair.OPEN).update(
        assigned_org=organization)
    secretaries = Account.objects.filter(organization=organization, role="secretary").count()
    audit_record(actor=actor, action="registry.assign", obj=batch, org_path=organization.path,
                 after={"organization": organization.pk, "pairs": n, "secretaries": secretaries},
                 label=f"{n} cặp → {organization.name}")
    return n


@transaction.atomic
def unassign(*, actor, batch: ImportBatch, organization: Organization) -> int:
    n = ReviewPair.objects.filter(batch=batch, assigned_org=organization).update(assigned_org=None)
    audit_record(actor=actor, action="registry.unassign", obj=batch, org_path=organization.path,
                 after={"organization": organization.pk, "pairs": n})
    return n


# ---------------------------------------------------------------- decisions from the exported queue


def _cells(upload) -> Iterable[tuple[int, list[Any]]]:
    """(row number, values) of the first sheet of an .xlsx upload (read-only, values only)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same message
        raise InvalidInput("Không đọc được tệp: cần tệp Excel (.xlsx) đã tải về từ trang này.", field="file") from None
    ws = wb.worksheets[0]
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > MAX_IMPORT_ROWS:
            raise InvalidInput(f"Tệp có hơn {MAX_IMPORT_ROWS:,} dòng.".replace(",", "."), field="file")
        yield n, list(row)


def _header(rows: Iterable[tuple[int, list[Any]]]) -> tuple[int, int, list]:
    for _n, values in rows:
        keys = [fold(str(v)).strip() if v is not None else "" for v in values]
        if "ma cap" in keys and "quyet dinh" in keys:
            return keys.index("ma cap"), keys.index("quyet dinh"), []
    raise InvalidInput("Không thấy dòng tiêu đề có cột «Mã cặp» và «Quyết định» — hãy dùng tệp tải về từ "
                       "trang này.", field="file")


def decisions_import(*, actor, batch: ImportBatch, upload, visible) -> dict[str, int]:
    """Apply the decisions written in an exported queue (see module doc). `visible`: the pairs the
    user may decide (a queryset). Returns {"merged", "kept_apart", "unchanged"}."""
    if getattr(upload, "size", 0) > MAX_IMPORT_BYTES:
        raise InvalidInput("Tệp lớn hơn 20 MB.", field="file")
    rows = iter(_cells(upload))
    id_col, decision_col, _ = _header(rows)
    wanted: list[tuple[int, int, str]] = []
    errors: list[str] = []
    for n, values in rows:
        pid = values[id_col] if id_col < len(values) else None
        word = values[decision_col] if decision_col < len(values) else None
        if (pid is None or str(pid).strip() == "") and (word is None or str(word).strip() == ""):
            continue
        text = fold(str(word or "")).strip()
        if not text:
            continue  # not decided on paper: stays open
        action = DECISION_WORDS.get(" ".join(text.split()))
        if action is None:
            errors.append(f"Dòng {n}: «Quyết định» phải là «Hợp nhất», «Giữ riêng» hoặc để trống (đang là «{word}»).")
            continue
        try:
            pair_id = int(float(str(pid).strip()))
        except ValueError:
            errors.append(f"Dòng {n}: «Mã cặp» «{pid}» không phải số.")
            continue
        wanted.append((n, pair_id, action))
    pairs = {p.pk: p for p in visible.filter(batch=batch, pk__in=[w[1] for w in wanted])}
    seen: dict[int, int] = {}
    todo = []
    unchanged = 0
    for n, pair_id, action in wanted:
        pair = pairs.get(pair_id)
        if pair is None:
            errors.append(f"Dòng {n}: không có cặp số {pair_id} trong lần nhập #{batch.pk} (hoặc bạn không được "
                          "quyết định cặp này).")
            continue
        if pair_id in seen:
            errors.append(f"Dòng {n}: cặp số {pair_id} đã có ở dòng {seen[pair_id]}.")
            continue
        seen[pair_id] = n
        done = {ReviewPair.MERGED: BulkDecision.MERGE, ReviewPair.KEPT_APART: BulkDecision.KEEP_APART}.get(pair.status)
        if done == action:
            unchanged += 1
        elif done is not None:
            errors.append(f"Dòng {n}: cặp số {pair_id} đã được quyết định khác («{pair.get_status_display()}») — "
                          "hoàn tác trên trang trước nếu muốn đổi.")
        else:
            todo.append((n, pair, action))
    if errors:
        more = f"\n… và {len(errors) - 30} lỗi khác." if len(errors) > 30 else ""
        raise InvalidInput("Chưa ghi quyết định nào:\n" + "\n".join(errors[:30]) + more, field="file")
    counts = {"merged": 0, "kept_apart": 0, "unchanged": unchanged}
    with transaction.atomic():
        for n, pair, action in todo:
            try:
                ACTIONS[action](actor=actor, pair=pair)
            except InvalidInput as exc:
                raise InvalidInput(f"Chưa ghi quyết định nào:\nDòng {n}: cặp số {pair.pk} — {exc.message}",
                                   field="file") from None
            counts["merged" if action == BulkDecision.MERGE else "kept_apart"] += 1
        audit_record(actor=actor, action="registry.decisions_import", obj=batch, org_path=batch.org_path,
                     after=counts)
    return counts
