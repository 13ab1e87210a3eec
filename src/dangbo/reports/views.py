"""Statistics pages (issue 14): the subtree's members on a day, charts, comparison, Excel and Word.

Office staff and secretaries only (`web.access.staff_page`), an organisation inside their subtree
(`selectors.report_org`). The query string carries the choices: `org`, `ngay` (dd/mm/yyyy, default
today) and `so_sanh` (an earlier day: the comparison and the period's changes).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangbo.reports import charts, selectors, tables
from dangbo.reports.forms import ReportForm
from dangbo.web.access import staff_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _choices(request, org_id):
    org = selectors.report_org(user=request.user, org_id=org_id)
    form = ReportForm(request.GET or None)
    day, since = timezone.localdate(), None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("ngay") or day
        since = form.cleaned_data.get("so_sanh")
    if not form.is_bound:
        form = ReportForm({"ngay": day.strftime("%d/%m/%Y")})
        form.is_valid()
    return org, day, since, form


def _tables(org, day, since):
    report = selectors.members_report(org, day)
    out = tables.composition_tables(report)
    comparison = None
    if since is not None:
        start = selectors.members_report(org, since)
        changes = selectors.changes_replayed(org, since, day)
        comparison = tables.comparison_tables(start, report, changes, since, day)
    return report, out, comparison


@login_required
@require_GET
def _report_start(request):
    """The user's own organisation (the root of their subtree), with the query string kept."""
    org = selectors.report_org(user=request.user)
    query = request.GET.urlencode()
    return redirect(reverse("report_members_org", args=[org.pk]) + (f"?{query}" if query else ""))


@login_required
@require_GET
def _report_page(request, org_id):
    org, day, since, form = _choices(request, org_id)
    report, composition, comparison = _tables(org, day, since)
    ctx = {"org": org, "day": day, "since": since, "form": form, "report": report,
           "tables": composition, "comparison": comparison or [],
           "charts": charts.charts(report), "query": request.GET.urlencode(),
           "parent": selectors.report_parent(user=request.user, org=org),
           "children": selectors.report_children(org)}
    return render(request, "reports/members.html", ctx, status=422 if form.errors else 200)


def _download(request, org_id, kind):
    org, day, since, _form = _choices(request, org_id)
    _report, composition, comparison = _tables(org, day, since)
    note = f"So sánh với ngày {since:%d/%m/%Y}" if since else ""
    if kind == "xlsx":
        data = tables.workbook(composition + (comparison or []), org_name=org.name, as_of=day, note=note)
        ctype = XLSX
    else:
        data = tables.word_report(composition + (comparison or []), org_name=org.name, as_of=day, note=note)
        ctype = DOCX
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="thong-ke-{org.code}-{day:%Y%m%d}.{kind}"'
    return resp


@login_required
@require_GET
def _report_xlsx(request, org_id):
    return _download(request, org_id, "xlsx")


@login_required
@require_GET
def _report_docx(request, org_id):
    return _download(request, org_id, "docx")


_DENIED = "Thống kê đảng viên dành cho cán bộ Văn phòng và bí thư chi bộ."
report_start = staff_page(_report_start, message=_DENIED)
report_page = staff_page(_report_page, message=_DENIED)
report_xlsx = staff_page(_report_xlsx, message=_DENIED)
report_docx = staff_page(_report_docx, message=_DENIED)
