"""The registry pages (office staff of the committee): the web upload of rolls (queued for `dangbo
worker`) with its progress, import batches, their open pairs side by side, and the decisions "Hợp nhất", "Giữ riêng", "Hoàn tác" — each
through registry.services (audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, require_office
from dangbo.core.errors import InvalidInput
from dangbo.jobs.services import job_health
from dangbo.orgs.selectors import org_list
from dangbo.registry import exports, queue, selectors, services, uploads
from dangbo.registry.exports import kept_words
from dangbo.registry.forms import DecisionForm, UploadForm
from dangbo.registry.models import ImportBatch, ImportIssue, ReviewPair
from dangbo.registry.queue import KIND_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def batch_list(request):
    require_office(request.user)
    return render(request, "registry/batches.html", {"batches": selectors.batch_list(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    require_office(request.user)
    orgs = org_list(user=request.user, include_dissolved=False).order_by("path")
    form = UploadForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organization"]
        require_manage(request.user, org.path)
        try:
            batch = uploads.upload_start(actor=request.user, organization=org,
                                          files=form.cleaned_data["files"], mapping=form.cleaned_data["mapping"])
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("registry_batch", batch.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "registry/upload.html", {"form": form}, status=status)


def _progress_context(batch):
    p = uploads.live_progress(batch)
    health = job_health(batch.job) if batch.status == ImportBatch.RUNNING else "ok"
    # counts written the Vietnamese way: 6.000 dòng
    n = {k: f"{int(p.get(k) or 0):,}".replace(",", ".") for k in
         ("rows_read", "records_matched", "persons", "members_imported")}
    return {"batch": batch, "p": p, "n": n, "percent": max(0, min(100, int(p.get("percent") or 0))),
            "files": p.get("files") or len(batch.files), "health": health}


@login_required
def batch_progress(request, batch_id: int):
    """The progress fragment the running batch's page polls; once the batch is no longer running the
    page reloads itself (HX-Refresh) to show the result. The fragment asks again one second after each
    answer is swapped in (`load delay:1s`), not on a clock (`every 1s`): htmx reloads on HX-Refresh
    without cancelling a clock, so a reload slower than a second was aborted by the next poll's."""
    require_office(request.user)
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    response = render(request, "registry/_progress.html", _progress_context(batch))
    if batch.status != ImportBatch.RUNNING:
        response["HX-Refresh"] = "true"
    return response


def _n(value) -> str:
    """A count the Vietnamese way (6.000); "—" when a report of before lacks it."""
    return "—" if value is None else f"{int(value):,}".replace(",", ".")


ISSUES_PER_PAGE = 50
PAIRS_PER_PAGE = 25


def _report_context(request, batch) -> dict:
    """The batch's report: figures per file, its issues (filtered by kind, paged), what a failure means."""
    summary = selectors.file_summary(batch)
    for f in summary["files"]:
        f["shown"] = list(zip(summary["headings"], [_n(v) for v in f["figures"]], strict=True))
    summary["totals_shown"] = list(zip(summary["headings"], [_n(v) for v in summary["totals"]], strict=True))
    counts = selectors.issue_counts(batch)
    kinds = [(k, label, _n(counts[k])) for k, label in ImportIssue.KIND_CHOICES if counts.get(k)]
    kind = request.GET.get("loai", "")
    kind = kind if kind in counts else ""
    page = Paginator(selectors.issue_list(user=request.user, batch=batch, kind=kind or None).select_related("member"),
                     ISSUES_PER_PAGE).get_page(request.GET.get("trang"))
    for issue in page:
        issue.kept_words = kept_words(issue)
    total = sum(counts.values())
    errors = counts.get(ImportIssue.ERROR, 0)
    return {"summary": summary, "kinds": kinds, "kind": kind, "issues": page, "issue_total": _n(total),
            "issue_shown": _n(page.paginator.count), "errors": errors, "errors_shown": _n(errors),
            "error_lines": list(ImportIssue.objects.filter(batch=batch, kind=ImportIssue.ERROR).order_by("id")[:5]),
            "error_hint": _error_hint(batch.error) if errors else "",
            "n": {k: _n(summary[k]) for k in ("persons", "merged_pairs", "review_pairs")}}


def _error_hint(message: str) -> str:
    """The last line of a refused import's message when it says what to do (registry.issues.conflicts)."""
    last = message.rsplit("\n", 1)[-1]
    return last if last.startswith(("Những người này", "Có vẻ")) else ""


@login_required
def batch_detail(request, batch_id: int):
    require_office(request.user)
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    if batch.status == ImportBatch.RUNNING:
        return render(request, "registry/running.html", _progress_context(batch))
    form = DecisionForm(request.GET if "status" in request.GET else {"status": ReviewPair.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else ReviewPair.OPEN
    kind = request.GET.get("nhom", "")  # the class of pairs ("loai" is the class of report lines)
    kind = kind if kind in KIND_LABELS else ""
    qs = selectors.pair_list(user=request.user, batch=batch, status=status or None)
    if kind:
        qs = qs.filter(kind=kind)
    pairs = Paginator(qs.order_by("rank", "-score", "id"), PAIRS_PER_PAGE).get_page(request.GET.get("cap"))
    for p in pairs:
        p.rows = selectors.comparison_rows(p)
        p.kind_label = KIND_LABELS.get(p.kind, "")
    progress = selectors.pair_progress(ReviewPair.objects.filter(batch=batch))
    last_bulk = batch.bulk_decisions.filter(undone_at__isnull=True).first()
    return render(request, "registry/batch.html", {
        "batch": batch, "pairs": pairs, "status": status or "", "form": form, "pair_kind": kind,
        "kind_label": KIND_LABELS.get(kind, ""), "progress": progress,
        "progress_text": f"{_n(progress['done'])} / {_n(progress['total'])}",
        "kinds_summary": selectors.kind_summary(batch), "last_bulk": last_bulk,
        "assignable": queue.assignable(batch) if batch.status == ImportBatch.DONE else [],
        "weak": _n(((batch.report or {}).get("totals") or {}).get("weak_pairs")),
        "weak_reasons": list((((batch.report or {}).get("totals") or {}).get("weak_by_reason") or {}).items())[:5],
        **_report_context(request, batch)})


@login_required
def batch_report(request, batch_id: int, fmt: str):
    """The batch's report as a download: every issue, Excel (``bao-cao.xlsx``) or CSV (``bao-cao.csv``)."""
    require_office(request.user)
    batch = selectors.batch_get(user=request.user, batch_id=batch_id)
    issues = selectors.issue_list(user=request.user, batch=batch).iterator(chunk_size=2000)
    name = f"bao-cao-nhap-{batch.pk}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(exports.issues_xlsx(batch, issues), content_type=XLSX)
    else:
        response = HttpResponse("\ufeff" + exports.issues_csv(batch, issues), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _decide(request, pair_id: int, action):
    """A decision on one pair by office staff (their batches) or by the secretary it was assigned to
    (both members in their subtree); back to the page it came from."""
    pair = selectors.pair_for_decision(user=request.user, pair_id=pair_id)
    if selectors.scope_of(request.user).is_office:
        require_manage(request.user, pair.batch.org_path)
    for rec in (pair.record_a, pair.record_b):
        if rec.member is not None:
            require_manage(request.user, rec.member.org_path)
    try:
        text = action(pair)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, text)
    back = request.POST.get("next", "")
    if back.startswith("/xem-xet/") and "//" not in back:
        return redirect(back)
    form = DecisionForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else ReviewPair.OPEN
    kind = request.POST.get("nhom", "")
    kind = f"&nhom={kind}" if kind in KIND_LABELS else ""
    return redirect(reverse("registry_batch", args=[pair.batch_id]) + f"?status={status}{kind}#cap")


@login_required
@require_http_methods(["POST"])
def pair_merge(request, pair_id: int):
    def act(pair):
        kept = services.pair_merge(actor=request.user, pair=pair)
        return f"Đã hợp nhất {pair.record_b.ref} vào «{kept.full_name}»."
    return _decide(request, pair_id, act)


@login_required
@require_http_methods(["POST"])
def pair_keep_apart(request, pair_id: int):
    def act(pair):
        services.pair_keep_apart(actor=request.user, pair=pair)
        return f"Đã giữ riêng {pair.record_a.ref} và {pair.record_b.ref}."
    return _decide(request, pair_id, act)


@login_required
@require_http_methods(["POST"])
def pair_undo(request, pair_id: int):
    def act(pair):
        was = pair.status
        services.pair_undo(actor=request.user, pair=pair)
        return ("Đã hoàn tác hợp nhất: khôi phục hai đảng viên." if was == ReviewPair.MERGED
                else "Đã hoàn tác: cặp trở lại danh sách chờ xem xét.")
    return _decide(request, pair_id, act)
