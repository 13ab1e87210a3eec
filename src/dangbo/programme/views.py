"""Programme pages: the dashboard (targets per year against their goals, per organisation and rolled
up, red/amber/green, trend chart, Word report, Excel figures), the programme (key tasks, action items,
targets), a target (its figures, reporting one with evidence), the models registry, digital
transformation and the congress season. Staff only; every read through the scoped selectors."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.congress.models import Congress
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.core.numbers import vn_figure
from dangbo.orgs.selectors import org_get, org_list
from dangbo.programme import charts, documents, rules, selectors, services
from dangbo.programme.forms import (
    CommitmentForm,
    EvaluationForm,
    FigureForm,
    ItemForm,
    ModelRecordForm,
    OrgSearch,
    PlanForm,
    ProgrammeForm,
    TargetForm,
    TaskForm,
)
from dangbo.programme.models import Target
from dangbo.programme.orgsearch import find_orgs
from dangbo.web.access import staff_page

NOT_STAFF = "Chương trình toàn khoá dành cho cán bộ Văn phòng Đảng ủy và bí thư các tổ chức đảng."


def staff(view):
    return login_required(staff_page(view, message=NOT_STAFF))


def _year(request) -> int:
    text = request.GET.get("nam", "")
    return int(text) if text.isdigit() and 1945 <= int(text) <= 2100 else date.today().year


def _org(request):
    scope = scope_of(request.user)
    text = request.GET.get("to-chuc", "")
    if text.isdigit():
        return org_get(user=request.user, org_id=int(text))
    return org_list(user=request.user).filter(path=scope.org_path).first()


PICKER_LIMIT = 20


def _org_picker(request) -> dict:
    """The organisation picker (issue 12): a search box over the names in the user's subtree (typed
    with or without diacritics, `orgsearch.find_orgs`), at
    most `PICKER_LIMIT` matches shown as links, instead of a select listing every organisation (50,000
    options made the dashboard slow and unusable). htmx asks the page itself for the matches while
    typing (`_org_found`); without JavaScript the «Xem» button shows them on the page."""
    q = request.GET.get("tim-to-chuc", "").strip()[:100]
    found = find_orgs(org_list(user=request.user, include_dissolved=False), q, PICKER_LIMIT) if q else []
    links = []
    for o in found[:PICKER_LIMIT]:
        params = request.GET.copy()
        for name in ("tim-to-chuc", "page"):
            params.pop(name, None)
        params["to-chuc"] = str(o.pk)
        links.append((o, f"{request.path}?{params.urlencode()}"))
    return {"org_query": q, "org_found": links, "org_more": len(found) > PICKER_LIMIT}


def _org_found(request):
    """The picker's matches alone, for htmx while typing (None for any other request)."""
    if request.htmx and "tim-to-chuc" in request.GET:
        return render(request, "programme/_org_found.html", _org_picker(request))
    return None


def _org_choice(request, form, orgs, initial=None):
    """A form's organisation search (`forms.OrgSearch`): the matches alone for htmx while typing
    (returned: the view sends it), else the widget set up with the text typed; without JavaScript the
    «Tìm» button posts the form back, shown again unsaved with what was typed (`_searching`)."""
    widget = form.fields["organization"].widget
    if request.htmx and OrgSearch.SEARCH in request.GET:
        widget.search(orgs, request.GET[OrgSearch.SEARCH], request.path)
        return render(request, "programme/_org_choices.html", {"name": "organization", "query": widget.query,
                                                                "found": widget.found, "more": widget.more})
    source = request.POST if request.method == "POST" else request.GET
    widget.search(orgs, source.get(OrgSearch.SEARCH, ""), request.path)
    return None


def _searching(request) -> bool:
    """The «Tìm» button of a form's organisation search was pressed (no JavaScript): not a save."""
    return request.method == "POST" and OrgSearch.BUTTON in request.POST


def _form_data(request, initial=None):
    """(data, initial) for a form with an organisation search: a «Tìm» post-back is shown again
    unbound, its typed values kept as the initial ones."""
    if _searching(request):
        return None, {**(initial or {}), **request.POST.dict()}
    return request.POST or None, initial


def _office_over(user, programme) -> bool:
    scope = scope_of(user)
    return scope.is_office and programme.org_path.startswith(scope.org_path)


def _require_office_over(user, programme) -> None:
    if not _office_over(user, programme):
        raise PermissionDenied("Chỉ cán bộ Văn phòng Đảng ủy của cấp có chương trình được sửa chương trình.")


def _status_page(request, category: str | None, template: str):
    year, org = _year(request), _org(request)
    if org is None:
        raise Http404("Không tìm thấy tổ chức đảng.")
    followed = selectors.programme_for(org, year)
    ctx = selectors.Context(year, root=org.path, years=selectors.shown_years(followed.term, year) if followed else None)
    data = selectors.programme_status(org, year, category=category, ctx=ctx)
    page = {"year": year, "org": org, "data": data, "years": [], "chart": None, "children": [],
            **_org_picker(request)}
    if data is not None:
        page["children"] = _children(org, data, ctx)
        first, last = rules.term_years(data["term"])
        years = list(range(first, last + 1))
        page["years"] = years
        shown = list(selectors.shown_years(data["term"], year))
        targets = [r["target"] for r in data["targets"]]
        goals = selectors.page_goals(ctx, targets)
        trend = selectors.trend(targets, org, shown, goals, known=ctx)
        page["chart"] = charts.trend_chart(
            [{"label": f"{t.code}", "goal": rules.goal_for(year, goals.get(t.id, {}), t.term_goal),
              "points": [(p["year"], p["actual"]) for p in trend[t.id]]} for t in targets if t.unit == "%"], shown)
        page["can_edit"] = _office_over(request.user, data["programme"])
    elif scope_of(request.user).is_office:
        page["create_url"] = "programme_create"
    return page, data, ctx


def _children(org, data, ctx) -> list[dict]:
    kids = selectors.children_of(org, ctx)
    goals = selectors.page_goals(ctx, [r["target"] for r in data["targets"]])
    return [{"org": k, "cells": [selectors.status(r["target"], k, ctx, goals.get(r["target"].id, {}))
                                 for r in data["targets"]]} for k in kids]


def _cells_html(cells: list[dict]) -> str:
    """A row of the table of the organisations under the page, its cells written here rather than by
    a `{% for %}` of tags and filters in the template: 300 cells at 50 organisations under a page
    were a third of the template's time (issue 12, session 9). The same bytes as the template wrote
    (`format_html` escapes as the template does)."""
    return mark_safe("".join(  # noqa: S308 - every part escaped by format_html
        format_html('<td data-label="{}" class="num">{} <span class="rag {}">{}</span></td>', s["code"],
                    "—" if s["actual"] is None else vn_figure(s["actual"]), s["colour"], s["colour_label"])
        for s in cells))


def _dashboard_page(request, category: str, digital: bool):
    page, _, _ = _status_page(request, category, "programme/dashboard.html")
    for c in page["children"]:
        c["cells_html"] = _cells_html(c["cells"])
    page["digital"] = digital
    return render(request, "programme/dashboard.html", page)


@staff
@require_GET
def dashboard(request):
    if (found := _org_found(request)) is not None:
        return found
    return _dashboard_page(request, Target.TARGET, False)


@staff
@require_GET
def digital(request):
    """TGT-5: the digital transformation indicators, the same page for category «digital»."""
    if (found := _org_found(request)) is not None:
        return found
    return _dashboard_page(request, Target.DIGITAL, True)


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    r = HttpResponse(data, content_type=content_type)
    r["Content-Disposition"] = f'attachment; filename="{name}"'
    return r


@staff
@require_GET
def report_docx(request):
    page, data, _ = _status_page(request, None, "")
    if data is None:
        raise Http404("Chưa có chương trình toàn khoá.")
    return _download(documents.report_docx(data, page["children"]), f"bao-cao-nghi-quyet-{page['year']}.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@staff
@require_GET
def figures_xlsx(request):
    page, data, ctx = _status_page(request, None, "")
    if data is None:
        raise Http404("Chưa có chương trình toàn khoá.")
    return _download(documents.figures_xlsx(data, _children(page["org"], data, ctx)),
                     f"so-lieu-chi-tieu-{page['year']}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@staff
def programme_create(request):
    scope = scope_of(request.user)
    if not scope.is_office:
        raise PermissionDenied("Chỉ cán bộ Văn phòng Đảng ủy nhập chương trình toàn khoá.")
    orgs = org_list(user=request.user, include_dissolved=False)
    data, initial = _form_data(request)
    form = ProgrammeForm(data, orgs=orgs, initial=initial,
                         congresses=Congress.objects.filter(organization__path__startswith=scope.org_path))
    if (found := _org_choice(request, form, orgs)) is not None:
        return found
    if data is not None and form.is_valid():
        c = form.cleaned_data
        require_manage(request.user, c["organization"].path)
        try:
            p = services.programme_create(actor=request.user, organization=c["organization"], term=c["term"],
                                          title=c["title"], congress=c["congress"],
                                          document_number=c["document_number"])
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã nhập chương trình toàn khoá.")
            return redirect("programme_detail", programme_id=p.id)
    return render(request, "programme/programme_form.html", {"form": form},
                  status=422 if form.errors else 200)


@staff
def programme_detail(request, programme_id: int):
    p = selectors.programme_get(user=request.user, programme_id=programme_id)
    can_edit = _office_over(request.user, p)
    task_form = TaskForm(request.POST if request.POST.get("form") == "task" else None, prefix="task")
    item_form = ItemForm(request.POST if request.POST.get("form") == "item" else None, programme=p, prefix="item")
    if request.method == "POST":
        _require_office_over(request.user, p)
        form = task_form if request.POST.get("form") == "task" else item_form
        if form.is_valid():
            c = form.cleaned_data
            try:
                if form is task_form:
                    services.task_add(actor=request.user, programme=p, code=c["code"], title=c["title"])
                else:
                    services.item_add(actor=request.user, task=c["task"], year=c["year"], title=c["title"],
                                      owner=c["owner"], deadline=c["deadline"])
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Đã lưu.")
                return redirect("programme_detail", programme_id=p.id)
    tasks = [{"task": t, "items": list(t.items.all())} for t in p.tasks.all()]
    ctx = {"p": p, "tasks": tasks, "targets": p.targets.select_related("task", "parent"), "can_edit": can_edit,
           "task_form": task_form, "item_form": item_form, "today": date.today()}
    return render(request, "programme/programme.html", ctx,
                  status=422 if task_form.errors or item_form.errors else 200)


@staff
@require_POST
def item_done(request, item_id: int):
    item = selectors.item_get(user=request.user, item_id=item_id)
    _require_office_over(request.user, item.task.programme)
    done = request.POST.get("done") == "1"
    services.item_done(actor=request.user, item=item, done_on=date.today() if done else None)
    messages.success(request, "Đã ghi việc đã xong." if done else "Đã bỏ đánh dấu đã xong.")
    return redirect("programme_detail", programme_id=item.task.programme_id)


def _target_form(request, p, target=None):
    parents = Target.objects.filter(programme__org_path__in=[x for x in _above(p.org_path)])
    initial = None
    if target is not None:
        initial = {n: getattr(target, n) for n in ("code", "title", "category", "task", "parent", "unit", "source",
                                                   "measure", "rollup", "how_measured", "reporter", "demo_data")}
        for n in ("baseline", "term_goal", "org_goal"):
            v = getattr(target, n)
            initial[n] = "" if v is None else f"{v.normalize():f}".replace(".", ",")
        for g in target.goals.all():
            initial[f"goal_{g.year}"] = f"{g.goal.normalize():f}".replace(".", ",")
    elif request.GET.get("nhom") == Target.DIGITAL:
        initial = {"category": Target.DIGITAL}
    return TargetForm(request.POST or None, programme=p, parents=parents, initial=initial)


def _above(path: str) -> list[str]:
    parts = [x for x in path.split("/") if x]
    return ["".join(f"{x}/" for x in parts[:i]) for i in range(1, len(parts))]


@staff
def target_edit(request, programme_id: int, target_id: int | None = None):
    p = selectors.programme_get(user=request.user, programme_id=programme_id)
    _require_office_over(request.user, p)
    target = None
    if target_id is not None:
        target = selectors.target_get(user=request.user, target_id=target_id)
        if target.programme_id != p.id:
            raise Http404("Không tìm thấy chỉ tiêu.")
    form = _target_form(request, p, target)
    if request.method == "POST" and form.is_valid():
        try:
            t = services.target_save(actor=request.user, programme=p, data=form.cleaned_data, goals=form.goals(),
                                     target=target)
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu chỉ tiêu «{t.code}».")
            return redirect("programme_target", target_id=t.id)
    return render(request, "programme/target_form.html", {"p": p, "form": form, "target": target},
                  status=422 if form.errors else 200)


def _report_orgs(request, target):
    """Organisations this user may report for: in force, in their scope and the programme's subtree."""
    return org_list(user=request.user, include_dissolved=False).filter(path__startswith=target.programme.org_path)


@staff
def target_detail(request, target_id: int):
    t = selectors.target_get(user=request.user, target_id=target_id)
    year, org = _year(request), _org(request)
    if org is None or not org.path.startswith(t.programme.org_path):
        # the programme of an organisation under the user's own: shown for that organisation
        if not scope_of(request.user).covers_path(t.programme.org_path):
            raise Http404("Không tìm thấy tổ chức đảng.")
        org = t.programme.organization
    first, last = rules.term_years(t.programme.term)
    years = list(range(first, last + 1))
    ctx = selectors.Context(year, root=org.path, years=tuple(years))
    goals = selectors.goals_of([t])
    row = selectors.status(t, org, ctx, goals.get(t.id, {}))
    kids = [{"org": k, "s": selectors.status(t, k, ctx, goals.get(t.id, {}))} for k in selectors.children_of(org, ctx)]
    trend = selectors.trend([t], org, years, goals, known=ctx)[t.id]
    chart = charts.trend_chart([{"label": t.code, "goal": row["goal"],
                                 "points": [(p["year"], p["actual"]) for p in trend]}], years) if t.unit == "%" else None
    can_report = t.source == Target.REPORTED and _report_orgs(request, t).exists()
    page = {"t": t, "org": org, "year": year, "row": row, "children": kids, "trend": trend, "chart": chart,
            "figures": selectors.own_figures(user=request.user, t=t, year=year), "years": years,
            "can_edit": _office_over(request.user, t.programme), "can_report": can_report}
    return render(request, "programme/target.html", page)


@staff
def figure_report(request, target_id: int):
    """A secretary (or the office) reports a figure for an organisation of their scope, with evidence."""
    t = selectors.target_get(user=request.user, target_id=target_id)
    if t.source != Target.REPORTED:
        raise Http404("Chỉ tiêu này do hệ thống tự tính.")
    orgs = _report_orgs(request, t)
    if not orgs.exists():
        raise PermissionDenied("Bạn không có tổ chức nào báo cáo chỉ tiêu này.")
    initial = {"organization": orgs.filter(path=scope_of(request.user).org_path).first(), "year": _year(request)}
    data, initial = _form_data(request, initial)
    form = FigureForm(data, request.FILES if data is not None else None, orgs=orgs, initial=initial)
    if (found := _org_choice(request, form, orgs)) is not None:
        return found
    if data is not None and form.is_valid():
        c = form.cleaned_data
        require_manage(request.user, c["organization"].path)
        try:
            services.figure_report(actor=request.user, target=t, organization=c["organization"], year=c["year"],
                                   value=c["value"], evidence_number=c["evidence_number"],
                                   evidence_file=c["evidence_file"], note=c["note"],
                                   reported_by=request.user.get_username())
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi số liệu năm {c['year']} của «{c['organization'].name}».")
            return redirect(f"{_url('programme_target', t.id)}?nam={c['year']}")
    return render(request, "programme/figure_form.html", {"t": t, "form": form}, status=422 if form.errors else 200)


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


@staff
@require_GET
def evidence_download(request, figure_id: int):
    f = selectors.figure_get(user=request.user, figure_id=figure_id)
    if not f.evidence_file:
        raise Http404("Số liệu này không có tệp minh chứng.")
    return FileResponse(f.evidence_file.open("rb"), as_attachment=True, filename=f.evidence_name or "minh-chung")


# -- models registry --------------------------------------------------------------------------------


@staff
@require_GET
def model_list(request):
    if (found := _org_found(request)) is not None:
        return found
    kind = request.GET.get("loai", "")
    kind = kind if kind in rules.MODEL_KIND_LABELS else None
    year = _year(request) if request.GET.get("nam") else None
    org = _org(request)
    rows = selectors.model_list(user=request.user, kind=kind, year=year, org=org)
    shown = [(m, rules.MODEL_STATUS_LABELS[m.status(year)]) for m in rows[:500]]
    page = {"rows": shown, "count": rows.count(), "kind": kind, "year": year, "org": org,
            "kinds": rules.MODEL_KIND_LABELS, **_org_picker(request)}
    return render(request, "programme/models.html", page)


@staff
def model_edit(request, model_id: int | None = None):
    model = selectors.model_get(user=request.user, model_id=model_id) if model_id else None
    orgs = org_list(user=request.user, include_dissolved=False)
    initial = None
    if model is not None:
        initial = {n: getattr(model, n) for n in ("organization", "kind", "title", "field", "form", "start_year",
                                                  "end_year", "description", "evidence", "recognised_year",
                                                  "recognised_by", "recognised_number")}
    data, initial = _form_data(request, initial)
    form = ModelRecordForm(data, orgs=orgs, initial=initial)
    if (found := _org_choice(request, form, orgs)) is not None:
        return found
    if data is not None and form.is_valid():
        c = dict(form.cleaned_data)
        org = c.pop("organization")
        require_manage(request.user, org.path)
        if model is not None and org.id != model.organization_id:
            require_manage(request.user, model.org_path)
        try:
            if model is not None and org.id != model.organization_id:
                raise InvalidInput("Không đổi được tổ chức đăng ký của mô hình; hãy đăng ký mô hình mới.",
                                   field="organization")
            m = services.model_save(actor=request.user, organization=org, data=c, model=model)
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã lưu mô hình.")
            return redirect("programme_model", model_id=m.id)
    return render(request, "programme/model_form.html", {"form": form, "model": model},
                  status=422 if form.errors else 200)


@staff
def model_detail(request, model_id: int):
    m = selectors.model_get(user=request.user, model_id=model_id)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        require_manage(request.user, m.org_path)
        c = form.cleaned_data
        try:
            services.model_evaluate(actor=request.user, model=m, year=c["year"], result=c["result"], note=c["note"])
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi đánh giá năm {c['year']}.")
            return redirect("programme_model", model_id=m.id)
    return render(request, "programme/model.html", {"m": m, "form": form, "evaluations": m.evaluations.all(),
                                                    "status": rules.MODEL_STATUS_LABELS[m.status()]},
                  status=422 if form.errors else 200)


# -- congress season --------------------------------------------------------------------------------


@staff
def congress_season(request):
    term = request.GET.get("nhiem-ky", "") or "2025–2030"
    orgs = org_list(user=request.user, include_dissolved=False).exclude(path=scope_of(request.user).org_path)
    data, initial = _form_data(request, {"term": term})
    form = PlanForm(data, orgs=orgs, initial=initial)
    if (found := _org_choice(request, form, orgs)) is not None:
        return found
    if data is not None and form.is_valid():
        c = form.cleaned_data
        require_manage(request.user, c["organization"].path)
        try:
            services.plan_save(actor=request.user, organization=c["organization"], term=c["term"],
                               planned_date=c["planned_date"], held_date=c["held_date"], status=c["status"],
                               documents=c["documents"])
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã lưu kế hoạch đại hội.")
            return redirect(f"{_url('programme_congresses')}?nhiem-ky={c['term']}")
    rows = selectors.congress_season(user=request.user, term=term)
    held = sum(1 for r in rows if r["held"])
    return render(request, "programme/congresses.html", {"rows": rows, "term": term, "form": form, "held": held},
                  status=422 if form.errors else 200)


# -- members' yearly commitments (MOD-1) ------------------------------------------------------------


def _commitment_years() -> list[int]:
    y = date.today().year
    return list(range(y + services.COMMITMENT_YEARS_AHEAD, y - services.COMMITMENT_YEARS_BACK - 1, -1))


@login_required
@require_GET
def commitments(request):
    """Staff: the members of an organisation and their commitment of the year; a member: their own."""
    scope = scope_of(request.user)
    if scope.member_id and not scope.sees_tree:
        return redirect("programme_commitment", member_id=scope.member_id)
    if not scope.sees_tree:
        return render(request, "web/denied.html", {"message": NOT_STAFF}, status=403)
    if (found := _org_found(request)) is not None:
        return found
    year, org = _year(request), _org(request)
    rows = selectors.commitment_rows(user=request.user, org=org, year=year)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    by_member = selectors.commitments_by_member([m.id for m in page], year)
    done = selectors.commitments_by_member(rows.values_list("id", flat=True), year) if rows.exists() else {}
    return render(request, "programme/commitments.html", {
        "page": page, "rows": [(m, by_member.get(m.id)) for m in page], "year": year, "org": org,
        "count": page.paginator.count, "registered": len(done),
        "with_result": sum(1 for c in done.values() if c.result), "years": _commitment_years(),
        **_org_picker(request)})


@login_required
def commitment_member(request, member_id: int):
    member = selectors.commitment_member(user=request.user, member_id=member_id)
    writable = selectors.can_write_commitment(request.user, member)
    years = _commitment_years()
    own = {c.year: c for c in selectors.commitments_of(member)}
    wanted = _year(request) if request.GET.get("nam") else date.today().year
    current = own.get(wanted)
    initial = {"year": wanted, "text": current.text if current else "", "result": current.result if current else ""}
    form = CommitmentForm(request.POST or None, years=years, initial=initial)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied("Bạn không ghi được cam kết của đảng viên này.")
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.commitment_save(actor=request.user, member=member, year=c["year"], text=c["text"],
                                         result=c["result"])
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"Đã lưu cam kết năm {c['year']}.")
                return redirect(f"{_url('programme_commitment', member.id)}?nam={c['year']}")
    return render(request, "programme/commitment.html", {
        "member": member, "form": form, "writable": writable, "commitments": list(own.values()),
        "own": scope_of(request.user).member_id == member.id}, status=422 if form.errors else 200)
