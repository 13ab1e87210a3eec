"""Congress set-up pages: create / edit a congress, its sessions and agenda, and its bodies
(presidium, secretariat, credentials and counting committees) with their approval by open vote (CON-4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.congress import selectors, services
from dangbo.congress.forms import AgendaItemForm, BodyMemberForm, BodyVoteForm, CongressForm, SessionForm
from dangbo.congress.models import AgendaItem, CongressSession
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.orgs.selectors import org_list
from dangbo.votes import rules as vote_rules


def managed_congress(request, congress_id: int):
    """The congress if the user may see it (404 otherwise) and manage it (403 otherwise): office staff
    and secretaries whose scope covers the congress's organisation."""
    congress = selectors.congress_get(user=request.user, congress_id=congress_id)
    require_manage(request.user, congress.organization.path)
    return congress


def form_error(form, exc: InvalidInput, default=None) -> None:
    form.add_error(exc.field if exc.field in form.fields else default, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def congress_create(request):
    if not scope_of(request.user).sees_tree:
        raise PermissionDenied("Chỉ cán bộ Văn phòng và bí thư cấp ủy được lập đại hội.")
    form = CongressForm(request.POST or None, orgs=org_list(user=request.user, include_dissolved=False))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        require_manage(request.user, c["organization"].path)
        try:
            congress = services.congress_create(actor=request.user, organization=c["organization"], kind=c["kind"],
                                                term=c["term"], name=c["name"], start_date=c["start_date"],
                                                end_date=c["end_date"])
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Đã lập «{congress.name}».")
            return redirect("congress_detail", congress_id=congress.id)
    return render(request, "congress/form.html", {"form": form, "c": None},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def congress_edit(request, congress_id: int):
    congress = managed_congress(request, congress_id)
    initial = {"kind": congress.kind, "term": congress.term, "name": congress.name,
               "start_date": congress.start_date, "end_date": congress.end_date}
    form = CongressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.congress_update(actor=request.user, congress=congress, kind=c["kind"], term=c["term"],
                                     name=c["name"], start_date=c["start_date"], end_date=c["end_date"])
        except InvalidInput as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin đại hội.")
            return redirect("congress_detail", congress_id=congress.id)
    return render(request, "congress/form.html", {"form": form, "c": congress}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def congress_program(request, congress_id: int):
    """Sessions and their agenda items, in order (POST `action`: session_add, item_add, up, down,
    item_delete, session_delete)."""
    congress = managed_congress(request, congress_id)
    session_form, item_form = SessionForm(prefix="s"), AgendaItemForm(prefix="i")
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "session_add":
                session_form = SessionForm(request.POST, prefix="s")
                if session_form.is_valid():
                    c = session_form.cleaned_data
                    s = services.session_add(actor=request.user, congress=congress, title=c["title"], date_=c["date"])
                    messages.success(request, f"Đã thêm phiên «{s.title}».")
                    return redirect("congress_program", congress_id=congress.id)
            elif action == "item_add":
                item_form = AgendaItemForm(request.POST, prefix="i")
                if item_form.is_valid():
                    session = get_object_or_404(CongressSession, pk=item_form.cleaned_data["session"],
                                                congress=congress)
                    services.agenda_item_add(actor=request.user, session=session,
                                             title=item_form.cleaned_data["title"])
                    return redirect("congress_program", congress_id=congress.id)
            elif action in ("up", "down", "item_delete"):
                item = get_object_or_404(AgendaItem, pk=_int(request.POST.get("item")), session__congress=congress)
                if action == "item_delete":
                    services.agenda_item_delete(actor=request.user, item=item)
                else:
                    services.agenda_item_move(actor=request.user, item=item, up=action == "up")
                return redirect("congress_program", congress_id=congress.id)
            elif action == "session_delete":
                session = get_object_or_404(CongressSession, pk=_int(request.POST.get("session")), congress=congress)
                services.session_delete(actor=request.user, session=session)
                return redirect("congress_program", congress_id=congress.id)
            else:
                error = "Thao tác không hợp lệ."
        except InvalidInput as exc:
            if action == "session_add" and exc.field in session_form.fields:
                session_form.add_error(exc.field, exc.message)
            else:
                error = exc.message
    bad = session_form.errors or item_form.errors or (request.method == "POST")
    return render(request, "congress/program.html", {
        "c": congress, "sessions": selectors.sessions_of(congress), "session_form": session_form,
        "item_form": item_form, "error": error}, status=422 if bad else 200)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_http_methods(["GET", "POST"])
def congress_bodies(request, congress_id: int):
    """The four bodies with their members and approval vote (POST `action`: add, remove, vote, clear)."""
    congress = managed_congress(request, congress_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        kind = request.POST.get("body", "")
        try:
            if action == "add":
                form = BodyMemberForm(request.POST)
                if not form.is_valid():
                    raise InvalidInput(" ".join(e for errs in form.errors.values() for e in errs), field="delegate")
                c = form.cleaned_data
                delegate = selectors.delegate_get(congress, c["delegate"])
                services.body_member_add(actor=request.user, congress=congress, kind=c["body"], delegate=delegate,
                                         is_head=c["is_head"])
            elif action == "remove":
                delegate = selectors.delegate_get(congress, request.POST.get("delegate"))
                services.body_member_remove(actor=request.user, congress=congress, kind=kind, delegate=delegate)
            elif action == "vote":
                form = BodyVoteForm(request.POST)
                if not form.is_valid():
                    raise InvalidInput(" ".join(e for errs in form.errors.values() for e in errs), field="votes_for")
                c = form.cleaned_data
                body = services.body_vote_record(actor=request.user, congress=congress, kind=c["body"],
                                                 votes_for=c["votes_for"], votes_against=c["votes_against"],
                                                 votes_abstain=c["votes_abstain"])
                messages.success(request, f"{body.label}: {'được thông qua' if body.approved else 'không được thông qua'}"
                                          f" ({body.votes_for}/{body.vote_base} tán thành).")
            elif action == "clear":
                services.body_vote_clear(actor=request.user, congress=congress, kind=kind)
            else:
                raise InvalidInput("Thao tác không hợp lệ.", field="action")
        except InvalidInput as exc:
            errors[kind or "_"] = exc.message
        else:
            return redirect("congress_bodies", congress_id=congress.id)
    q = selectors.quorum(congress)
    settings = configured(vote_rules.VoteRuleSettings)
    base_now = vote_rules.vote_base(present=q.present, summoned=q.summoned, settings=settings)
    # which base the installation counts on, asked through the rule itself (not its field names)
    on_present = vote_rules.vote_base(present=0, summoned=1, settings=settings) == 0
    return render(request, "congress/bodies.html", {
        "c": congress, "bodies": selectors.bodies_of(congress), "candidates": selectors.body_candidates(congress),
        "errors": errors, "q": q, "base_kind": "present" if on_present else "summoned",
        "need_now": vote_rules.needed(base_now, "presidium", settings=settings) if q.present else None,
    }, status=422 if errors else 200)
