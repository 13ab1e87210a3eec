"""The review queue's pages beyond one pair (issue 15): a decision for a whole class of pairs with a
preview and one undo, pairs given to a cell's secretary, the queue as Excel and its decisions uploaded
back, and the secretary's own list of pairs to decide on a phone. Thin: the work is in
`registry.queue` and `registry.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dangbo.accounts.models import ROLE_SECRETARY
from dangbo.accounts.selectors import require_manage, require_office, scope_of
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.orgs.selectors import org_list
from dangbo.registry import exports, queue, selectors
from dangbo.registry.models import BulkDecision, ImportBatch, ReviewPair

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _done_batch(request, batch_id: int) -> ImportBatch:
    require_office(request.user)
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    require_manage(request.user, batch.org_path)
    if batch.status != ImportBatch.DONE:
        raise PermissionDenied("Lần nhập này chưa xong hoặc bị lỗi.")
    return batch


def _back(batch, anchor="cap", **query) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items() if v)
    return reverse("registry_batch", args=[batch.pk]) + (f"?{q}" if q else "") + f"#{anchor}"


@login_required
@require_http_methods(["GET", "POST"])
def bulk(request, batch_id: int):
    """GET: the preview of a decision for every open pair of a class (how many, the first ten side by
    side); POST: take it (one undo: :func:`bulk_undo`)."""
    batch = _done_batch(request, batch_id)
    data = request.POST if request.method == "POST" else request.GET
    kind, action = data.get("loai", ""), data.get("lam", "")
    if kind not in queue.KIND_LABELS or action not in queue.ACTIONS:
        messages.error(request, "Hãy chọn một loại cặp và một quyết định.")
        return redirect(_back(batch, "loai-cap"))
    if request.method == "POST":
        try:
            done = queue.bulk_decide(actor=request.user, batch=batch, kind=kind, action=action)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            skipped = f" ({len(done.skipped)} cặp không quyết định được, vẫn chờ xem xét)" if done.skipped else ""
            messages.success(request, f"{done.get_action_display()}: {done.count} cặp «{queue.KIND_LABELS[kind]}»"
                                      f"{skipped}. Có thể hoàn tác bằng nút «Hoàn tác quyết định hàng loạt».")
        return redirect(_back(batch, "loai-cap"))
    count, sample = queue.bulk_preview(batch, kind)
    for p in sample:
        p.rows = selectors.comparison_rows(p)
    return render(request, "registry/bulk.html", {
        "batch": batch, "kind": kind, "kind_label": queue.KIND_LABELS[kind], "action": action,
        "action_label": dict(BulkDecision.ACTION_CHOICES)[action], "count": count, "sample": sample})


@login_required
@require_http_methods(["POST"])
def bulk_undo(request, batch_id: int):
    """Undo the batch's latest bulk decision not yet undone, as one."""
    batch = _done_batch(request, batch_id)
    last = batch.bulk_decisions.filter(undone_at__isnull=True).first()
    if last is None:
        messages.error(request, "Không có quyết định hàng loạt nào để hoàn tác.")
    else:
        try:
            n = queue.bulk_undo(actor=request.user, bulk=last)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã hoàn tác «{last.get_action_display()}»: {n} cặp trở lại chờ xem xét.")
    return redirect(_back(batch, "loai-cap"))


@login_required
@require_http_methods(["POST"])
def assign(request, batch_id: int):
    """Give (or take back) the open pairs of one organisation's members to its secretary."""
    batch = _done_batch(request, batch_id)
    try:
        org_id = int(request.POST.get("organization", ""))
    except ValueError:
        org_id = 0
    org = get_object_or_404(org_list(user=request.user, include_dissolved=False), pk=org_id)
    if request.POST.get("bo") == "1":
        n = queue.unassign(actor=request.user, batch=batch, organization=org)
        messages.success(request, f"Đã thu lại {n} cặp đã giao cho {org.name}.")
    else:
        try:
            n = queue.assign(actor=request.user, batch=batch, organization=org)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã giao {n} cặp cho bí thư {org.name}: bí thư xem ở mục «Cặp cần xem xét».")
    return redirect(_back(batch, "giao"))


@login_required
def queue_xlsx(request, batch_id: int):
    """The batch's review queue as Excel (every pair, fields side by side, a column to decide in)."""
    require_office(request.user)
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    pairs = selectors.pair_list(user=request.user, batch=batch).order_by("rank", "-score", "id").select_related(
        "record_a__member__organization", "record_b__member__organization")
    body = exports.queue_xlsx(batch, pairs.iterator(chunk_size=1000))
    audit_record(actor=request.user, action="registry.queue_export", obj=batch, org_path=batch.org_path,
                 after={"pairs": pairs.count()})
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cap-can-xem-xet-{batch.pk}.xlsx"'
    return response


@login_required
@require_http_methods(["POST"])
def decisions_upload(request, batch_id: int):
    """The exported queue with «Quyết định» filled in, applied all or nothing."""
    batch = _done_batch(request, batch_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Chưa chọn tệp quyết định (.xlsx).")
        return redirect(_back(batch, "giay"))
    try:
        counts = queue.decisions_import(actor=request.user, batch=batch, upload=upload,
                                        visible=selectors.decidable_pairs(user=request.user))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi quyết định từ tệp: {counts['merged']} cặp hợp nhất, "
                                  f"{counts['kept_apart']} cặp giữ riêng ({counts['unchanged']} cặp đã như vậy).")
    return redirect(_back(batch, "giay"))


@login_required
def secretary_queue(request):
    """A secretary's pairs to decide (those given to their organisations, both members theirs), on a
    phone: strongest first, the fields side by side (birth year and the ID's last digits only)."""
    scope = scope_of(request.user)
    if scope.role != ROLE_SECRETARY:
        if scope.is_office:
            return redirect("registry_batches")
        raise PermissionDenied("Trang này dành cho bí thư chi bộ được giao xem xét các cặp.")
    status = request.GET.get("status", ReviewPair.OPEN)
    status = status if status in (ReviewPair.OPEN, ReviewPair.MERGED, ReviewPair.KEPT_APART) else ReviewPair.OPEN
    page = Paginator(selectors.secretary_pairs(user=request.user, status=status), 20).get_page(request.GET.get("trang"))
    for p in page:
        p.rows = selectors.comparison_rows(p, masked=True)
        p.kind_label = queue.KIND_LABELS.get(p.kind, "")
    progress = selectors.pair_progress(selectors.secretary_pairs(user=request.user, status=None))
    return render(request, "registry/secretary.html", {
        "pairs": page, "status": status, "progress": progress,
        "progress_text": f"{progress['done']:,} / {progress['total']:,}".replace(",", ".")})
