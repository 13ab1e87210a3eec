"""Organisation pages: the tree with member counts, one organisation with its history, and the forms
that found, merge, rename, move and dissolve organisations (ORG-1..3). Thin: parse, call one service,
render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.core.errors import InvalidInput
from dangbo.members.selectors import member_list, members_hosted
from dangbo.orgs import rules, selectors, services
from dangbo.orgs.forms import OrgEventForm, OrgFoundForm, OrgMergeForm


def _active_orgs(user):
    return selectors.org_list(user=user, include_dissolved=False)


def _refuse(form, exc: InvalidInput) -> None:
    """Every problem of a refused write beside its field (the rest on top of the form)."""
    for field, message in (exc.errors or {exc.field: exc.message}).items():
        form.add_error(field if field in form.fields else None, message)


TREE_FULL_LIMIT = 600  # a larger tree opens at its first levels (a province has thousands of cells)
TREE_OPEN_ROWS = 200  # ... as many levels as fit in this many rows (at least one below the top)
TREE_ALL_LIMIT = 5000  # "hiện tất cả" offered up to this many organisations (the nation has 53,000)
MEMBERS_PER_PAGE = 50  # the organisation page's own members, paged (a cell rarely has more)


def open_levels(levels: list[int]) -> int:
    """How many levels below the top a first-levels tree shows: the most that fit in TREE_OPEN_ROWS
    rows, at least one. `levels` = organisations per level (selectors.org_tree_levels)."""
    shown, rows = 1, sum(levels[:2])
    while shown + 1 < len(levels) and rows + levels[shown + 1] <= TREE_OPEN_ROWS:
        shown += 1
        rows += levels[shown]
    return shown


@login_required
def org_tree(request):
    """The tree with member counts. A large tree opens at its first levels, each shown organisation
    with a link to open the tree at it (`?goc=<id>`, inside the user's scope), so a page reads and
    renders what it shows, never the nation's 53,000 organisations."""
    goc = request.GET.get("goc", "")
    root = selectors.org_get(user=request.user, org_id=int(goc)) if goc.isdigit() else None
    levels = selectors.org_tree_levels(user=request.user, root=root)
    total = sum(levels)
    everything = request.GET.get("tat-ca") == "1" and total <= TREE_ALL_LIMIT
    limited = total > TREE_FULL_LIMIT and not everything
    rows = selectors.org_tree(user=request.user, root=root, max_level=open_levels(levels) if limited else None)
    return render(request, "orgs/tree.html", {
        "rows": rows, "limited": limited, "total": total, "root": root,
        "trail": selectors.org_trail(user=request.user, org=root) if root else [],
        "can_show_all": total <= TREE_ALL_LIMIT, "can_manage": scope_of(request.user).sees_tree})


def _detail_context(request, org, form=None) -> dict:
    can_manage = org.is_active and scope_of(request.user).covers_path(org.path)
    if form is None and can_manage:
        form = OrgEventForm(orgs=_active_orgs(request.user).exclude(pk=org.pk))
    return {
        "org": org,
        "counts": selectors.org_member_counts(org=org),
        "children": selectors.org_list(user=request.user).filter(parent=org),
        "events": org.events.prefetch_related("related"),
        "page": Paginator(member_list(user=request.user).filter(organization=org).select_related("organization"),
                          MEMBERS_PER_PAGE).get_page(request.GET.get("page")),
        "hosted": list(members_hosted(user=request.user, org=org)),
        "can_manage": can_manage,
        "can_have_children": any(org.kind in parents for parents in rules.ALLOWED_PARENTS.values()),
        "form": form if can_manage else None,
    }


@login_required
def org_detail(request, org_id: int):
    org = selectors.org_get(user=request.user, org_id=org_id)
    return render(request, "orgs/detail.html", _detail_context(request, org))


@login_required
@require_http_methods(["POST"])
def org_event(request, org_id: int):
    """Ghi sự kiện tổ chức: rename, move or dissolve, citing the decision."""
    org = selectors.org_get(user=request.user, org_id=org_id)
    require_manage(request.user, org.path)
    form = OrgEventForm(request.POST, orgs=_active_orgs(request.user).exclude(pk=org.pk))
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.org_event_record(
                actor=request.user, org=org, kind=c["kind"], on=c["date"], name=c["name"], parent=c["parent"],
                decision_number=c["decision_number"], decision_date=c["decision_date"], note=c["note"],
                require_decision=True,
            )
        except InvalidInput as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Đã ghi sự kiện «{rules.EVENT_LABELS[c['kind']]}».")
            return redirect("org_detail", org_id=org.id)
    org.refresh_from_db()
    return render(request, "orgs/detail.html", _detail_context(request, org, form), status=422)


def _form_page(request, form, title: str, intro: str = ""):
    return render(request, "orgs/form.html", {"form": form, "title": title, "intro": intro},
                  status=422 if form.errors else 200)


@login_required
def org_found(request):
    """Thành lập tổ chức đảng, trực thuộc một tổ chức trong phạm vi."""
    if not scope_of(request.user).sees_tree:
        return render(request, "web/denied.html", status=403)
    form = OrgFoundForm(request.POST or None, orgs=_active_orgs(request.user),
                        initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        require_manage(request.user, c["parent"].path)
        try:
            org = services.org_found(
                actor=request.user, code=c["code"], name=c["name"], kind=c["kind"], parent=c["parent"], on=c["date"],
                decision_number=c["decision_number"], decision_date=c["decision_date"], note=c["note"],
                require_decision=True,
            )
        except InvalidInput as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Đã thành lập «{org.name}».")
            return redirect("org_detail", org_id=org.id)
    return _form_page(request, form, "Thành lập tổ chức đảng")


@login_required
def org_merge(request):
    """Hợp nhất tổ chức đảng: the chosen organisations end, a new one is founded citing them, and
    their members move to it (when it is a cell)."""
    if not scope_of(request.user).sees_tree:
        return render(request, "web/denied.html", status=403)
    form = OrgMergeForm(request.POST or None, orgs=_active_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        for org in [*c["sources"], c["parent"]]:
            require_manage(request.user, org.path)
        try:
            org = services.org_merge(
                actor=request.user, sources=list(c["sources"]), code=c["code"], name=c["name"], kind=c["kind"],
                parent=c["parent"], on=c["date"], decision_number=c["decision_number"],
                decision_date=c["decision_date"], note=c["note"], require_decision=True,
            )
        except InvalidInput as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Đã hợp nhất thành «{org.name}».")
            return redirect("org_detail", org_id=org.id)
    return _form_page(request, form, "Hợp nhất tổ chức đảng",
                      "Các tổ chức được chọn hết hiệu lực từ ngày hợp nhất; đảng viên của chúng chuyển sinh hoạt "
                      "sang tổ chức mới (tổ chức mới phải là chi bộ), tổ chức trực thuộc chuyển sang trực thuộc "
                      "tổ chức mới.")
