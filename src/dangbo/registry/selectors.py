"""Reads of import batches and the review queue, scoped: office staff see the batches imported into
their committee's subtree; nobody else sees any (see accounts.selectors)."""

from django.db.models import Count, Q
from django.http import Http404

from dangbo.accounts.models import ROLE_SECRETARY
from dangbo.accounts.selectors import scope_of
from dangbo.registry.models import ImportBatch, ImportIssue, ReviewPair

#: Vietnamese words for the matcher's per-field verdicts (registry.matching).
VERDICTS = {
    "exact": "giống hệt", "no_diacritics": "giống (một bên không dấu)", "diacritics_differ": "khác dấu",
    "typo": "lệch một vài chữ", "different": "khác", "missing": "thiếu", "same": "trùng",
    "swapped": "đảo ngày/tháng", "year": "cùng năm", "different_day": "khác ngày",
    "same_commune": "cùng xã", "same_province": "cùng tỉnh", "different_commune": "khác xã",
    "parts_swapped": "đảo thứ tự họ/tên", "partial": "trùng một phần họ tên",
    "typo_same_given": "lệch chữ ở họ/đệm, cùng tên", "no_column": "tệp không có cột này",
    "near": "lệch một chữ số", "alike": "giống (mất số 0 đầu / chữ O thay số 0)",
}
FIELD_LABELS = {
    "name": "Họ và tên", "birth_date": "Ngày sinh", "admission_date": "Ngày vào Đảng", "national_id": "Số định danh",
    "party_card_no": "Số thẻ đảng viên", "sex": "Giới tính", "home_town": "Quê quán",
}
GOOD = {"exact", "same", "no_diacritics", "same_commune"}
#: Verdicts under which two written values are not a difference to mark (one known to the year only …).
AGREE = GOOD | {"year", "missing", "no_column", "same_province", "alike"}
BAD = {"different", "different_day", "different_commune", "near"}


def batch_list(*, user):
    scope = scope_of(user)
    if not scope.is_office:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(org_path__startswith=scope.org_path).select_related(
        "organization", "job").annotate(
        open_pairs=Count("pairs", filter=Q(pairs__status=ReviewPair.OPEN)), all_pairs=Count("pairs"),
    )


def batch_get(*, user, batch_id: int) -> ImportBatch:
    batch = batch_list(user=user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404("Không tìm thấy lần nhập danh sách.")
    return batch


def pair_list(*, user, batch: ImportBatch, status: str | None = None):
    qs = ReviewPair.objects.filter(batch__in=batch_list(user=user).filter(pk=batch.pk)).select_related(
        "record_a__member__organization", "record_b__member__organization", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs


def pair_get(*, user, pair_id: int) -> ReviewPair:
    pair = ReviewPair.objects.filter(pk=pair_id, batch__in=batch_list(user=user)).select_related(
        "batch", "record_a__member", "record_b__member").first()
    if pair is None:
        raise Http404("Không tìm thấy cặp cần xem xét.")
    return pair


def decidable_pairs(*, user):
    """The pairs a user may decide: office staff those of the batches they see; a secretary the pairs
    assigned to an organisation of their subtree whose two members are both in that subtree (issue 15:
    the secretary knows the people; nothing outside their scope shows)."""
    scope = scope_of(user)
    if scope.is_office:
        return ReviewPair.objects.filter(batch__in=batch_list(user=user))
    if scope.role == ROLE_SECRETARY and scope.sees_tree:
        p = scope.org_path
        return ReviewPair.objects.filter(assigned_org__path__startswith=p, record_a__member__org_path__startswith=p,
                                         record_b__member__org_path__startswith=p)
    return ReviewPair.objects.none()


def pair_for_decision(*, user, pair_id: int) -> ReviewPair:
    pair = decidable_pairs(user=user).filter(pk=pair_id).select_related(
        "batch", "record_a__member", "record_b__member").first()
    if pair is None:
        raise Http404("Không tìm thấy cặp cần xem xét.")
    return pair


def secretary_pairs(*, user, status: str | None = ReviewPair.OPEN):
    """The pairs assigned to the secretary's organisations (see :func:`decidable_pairs`), strongest first."""
    scope = scope_of(user)
    if scope.role != ROLE_SECRETARY:
        return ReviewPair.objects.none()
    qs = decidable_pairs(user=user).select_related(
        "record_a__member__organization", "record_b__member__organization", "decided_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("rank", "-score", "id")


def pair_progress(pairs) -> dict:
    """Pairs decided / all: "1.240 / 1.512 cặp đã xử lý"."""
    total = pairs.count()
    done = pairs.exclude(status=ReviewPair.OPEN).count()
    return {"done": done, "total": total, "percent": int(100 * done / total) if total else 100}


def kind_summary(batch: ImportBatch) -> list[dict]:
    """Per class of pairs (strongest first): open, merged, kept apart."""
    from dangbo.registry.queue import KIND_LABELS

    rows = ReviewPair.objects.filter(batch=batch).values_list("kind", "status").annotate(n=Count("id")).order_by()
    by: dict[str, dict[str, int]] = {}
    for kind, status, n in rows:
        by.setdefault(kind or "some", {})[status] = n
    return [{"kind": k, "label": KIND_LABELS[k], "open": by[k].get(ReviewPair.OPEN, 0),
             "merged": by[k].get(ReviewPair.MERGED, 0), "kept_apart": by[k].get(ReviewPair.KEPT_APART, 0)}
            for k in KIND_LABELS if k in by]


def _shown(field: str, value: str, masked: bool) -> str:
    """A compared value as a person reads it: dates dd/mm/yyyy; for a secretary (masked) the birth
    year and the ID's last three digits only (members.selectors' sensitive-data rule)."""
    if not value:
        return "—"
    if field in ("birth_date", "admission_date") and len(value) == 10:
        if masked and field == "birth_date":
            return value[:4]
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    if masked and field == "national_id":
        return "•" * max(0, len(value) - 3) + value[-3:]
    return value


def comparison_rows(pair: ReviewPair, *, masked: bool = False) -> list[dict]:
    """The pair's per-field comparison, labelled in Vietnamese, for side-by-side display; ``differs``
    marks the fields whose values are not the same."""
    rows = []
    for field, label in FIELD_LABELS.items():
        c = pair.comparison.get(field)
        if c is None:
            continue  # a pair queued before this field was compared
        verdict = c.get("cmp", "")
        a, b = c.get("a") or "", c.get("b") or ""
        rows.append({"field": field, "label": label, "a": _shown(field, a, masked), "b": _shown(field, b, masked),
                     "verdict": VERDICTS.get(verdict, verdict), "differs": bool(a and b and a != b) and verdict not in AGREE,
                     "tone": "good" if verdict in GOOD else "bad" if verdict in BAD else ""})
    return rows


def issue_list(*, user, batch: ImportBatch, kind: str | None = None):
    """The batch's issues in file order (only through a batch the user sees), optionally of one kind."""
    qs = ImportIssue.objects.filter(batch__in=batch_list(user=user).filter(pk=batch.pk))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("id")


def issue_counts(batch: ImportBatch) -> dict[str, int]:
    """Issues per kind (kinds without any left out)."""
    return dict(ImportIssue.objects.filter(batch=batch).values_list("kind").annotate(n=Count("id")).order_by())


#: The per-file figures of the batch page, in its column order: (report key, heading).
FILE_FIGURES = (
    ("rows_read", "Dòng đã đọc"), ("rows_accepted", "Dòng nhận"), ("rows_rejected", "Dòng bị loại"),
    ("rows_merged", "Dòng gộp với dòng khác"), ("values_unread", "Giá trị không đọc được (để trống)"),
    ("values_repaired", "Giá trị đã sửa"), ("characters_stripped", "Ô bỏ ký tự vô hình"),
)


def file_summary(batch: ImportBatch) -> dict:
    """The report's per-file figures and totals for the batch page (None where a report of before lacks one)."""
    report = batch.report or {}
    files = [{"file": f.get("file", ""), "figures": [f.get(k) for k, _ in FILE_FIGURES],
              "sheet": f.get("sheet"), "header_row": f.get("header_row")} for f in report.get("files", [])]
    totals = report.get("totals", {})
    merged = sum(f.get("rows_merged") or 0 for f in report.get("files", []))
    figures = [totals.get(k) for k, _ in FILE_FIGURES]
    figures[3] = merged if report.get("files") and "rows_merged" in report["files"][0] else None
    return {"headings": [h for _, h in FILE_FIGURES], "files": files, "totals": figures,
            "persons": totals.get("persons"), "merged_pairs": totals.get("merged_pairs"),
            "review_pairs": totals.get("review_pairs")}
