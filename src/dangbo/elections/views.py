"""Election pages: the rounds of a congress, one round's page (list, base, box, results), the two
tellers' entry desks, the committee's desk for mismatches and contested ballots, the projector page
and the documents (ballot paper, counting minutes, ballots CSV for `dangbo election verify`).

Views are thin: they read the form, call one service or selector and render. Reading needs the
congress in scope (office staff, secretaries covering its organisation); every write also needs
`require_manage` on the congress's organisation. Members see nothing here.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.congress.selectors import congress_list, seated
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.core.safecells import SafeDictWriter
from dangbo.elections import chain, docs, rules, selectors, services
from dangbo.elections.forms import (
    FLAG_LABELS,
    MARK_LABELS,
    BaseForm,
    BoxForm,
    ComplaintsForm,
    EntryForm,
    ListForm,
    ResolveForm,
    RoundForm,
    RuleForm,
    lines,
)
from dangbo.elections.models import ACCEPTED, CLOSED, CONTESTED, COUNTING, DRAFT, MISMATCH, PENDING, VOTING

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _manage(request, election) -> None:
    require_manage(request.user, election.congress.organization.path)


def _fail(request, exc: InvalidInput, to: str, **kw):
    messages.error(request, exc.message)
    return redirect(to, **kw)


# --------------------------------------------------------------------------------------------------
# Lists and the round's page
# --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def election_list(request):
    """Staff: the rounds of the congresses in their scope. A member of a counting committee: the
    rounds they count (their desks). Anyone else: refused."""
    if not scope_of(request.user).sees_tree:
        rounds = selectors.teller_rounds(user=request.user)
        if not rounds:
            return render(request, "web/denied.html", status=403)
        return render(request, "elections/teller_list.html", {"rows": rounds})
    return render(request, "elections/list.html", {"rows": selectors.election_list(user=request.user),
                                                   "congresses": congress_list(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def congress_elections(request, congress_id: int):
    """The rounds of one congress; POST creates a round (draft) from the form."""
    congress, rows = selectors.elections_of(user=request.user, congress_id=congress_id)
    can_manage = scope_of(request.user).covers_path(congress.organization.path)
    form, status = RoundForm(), 200
    if request.method == "POST":
        require_manage(request.user, congress.organization.path)
        form = RoundForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            try:
                e = services.election_create(actor=request.user, congress=congress, body=c["body"],
                                             seats=c["seats"], candidates=form.names())
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"Đã tạo «{e.title}».")
                _warn_list(request, e)
                return redirect("election_detail", election_id=e.id)
        status = 422
    return render(request, "elections/congress.html", {"c": congress, "rows": rows, "form": form,
                                                       "can_manage": can_manage}, status=status)


def _detail_context(request, e, **bound) -> dict:
    """The round's page; `bound` holds the form the user just sent back with its errors (the others
    come fresh, filled from the round)."""
    categories = services.BASE_CATEGORIES.get(e.congress.kind, services.BASE_CATEGORIES["members"])
    forms = {
        "list_form": ListForm(initial={"seats": e.seats, "candidates": "\n".join(
            c.full_name for c in e.candidates.all())}),
        "base_form": BaseForm(categories=categories, initial=(e.base_parts or {}).get("excluded", {})),
        "box_form": BoxForm(initial={"issued": e.issued, "returned": e.returned}),
        "complaints_form": ComplaintsForm(initial={"complaints": e.complaints}),
        **bound,
    }
    ctx = {"e": e, "c": e.congress, **forms, "can_manage": scope_of(request.user).covers_path(e.congress.organization.path),
           "candidates": list(e.candidates.all()), "progress": selectors.progress(e),
           "rounds": selectors.rounds_of(e), "categories": services.BASE_CATEGORIES.get(
               e.congress.kind, services.BASE_CATEGORIES["members"]),
           "list_problem": services.list_problem(e) if e.status == DRAFT else None,
           "draft_form": services.draft_form_label(e) if e.status == DRAFT else None,
           "blockers": services.blockers(e) if e.status == COUNTING else [],
           "decided": list(selectors.decided_ballots(e)),
           "threshold": rules.threshold(e.base) if e.base and not e.is_runoff else None,
           "absent_now": seated(e.congress).filter(checked_in_at__isnull=True).count()}
    if e.status == CLOSED:
        ctx["result"] = docs.result_rows(e)
        ctx["fingerprint"] = chain.format_fingerprint(e.fingerprint)
        ctx["next_round"] = e.next_rounds.order_by("id").first()
    return ctx


@login_required
@require_http_methods(["GET"])
def election_detail(request, election_id: int):
    e = selectors.election_get(user=request.user, election_id=election_id)
    return render(request, "elections/detail.html", _detail_context(request, e))


def _action(request, election_id: int, run, done: str, form_name: str = "", make_form=None):
    """POST on a round: read the form (`make_form(e)`, if the action has one), run the service, and
    either go back to the round's page saying `done`, or show the page again (422) with every problem
    beside its field and what was typed kept. An action without a form says a refusal as a message."""
    e = selectors.election_get(user=request.user, election_id=election_id)
    _manage(request, e)
    form = make_form(e) if make_form else None
    if form is not None and not form.is_valid():
        return render(request, "elections/detail.html", _detail_context(request, e, **{form_name: form}), status=422)
    try:
        run(e, form.cleaned_data if form is not None else None)
    except InvalidInput as exc:
        if form is None:
            return _fail(request, exc, "election_detail", election_id=e.id)
        add_errors(form, exc)
        e = selectors.election_get(user=request.user, election_id=election_id)
        return render(request, "elections/detail.html", _detail_context(request, e, **{form_name: form}), status=422)
    messages.success(request, done)
    return redirect("election_detail", election_id=e.id)


def _warn_list(request, e) -> None:
    """A list that cannot be voted on yet (CON-5) is saved as a draft, with the reason shown at once."""
    problem = services.list_problem(e)
    if problem:
        messages.warning(request, f"Danh sách chưa bỏ phiếu được: {problem}")


@login_required
@require_http_methods(["POST"])
def election_candidates(request, election_id: int):
    def run(e, c):
        e = services.candidates_set(actor=request.user, election=e, candidates=lines(c["candidates"]),
                                    seats=c["seats"])
        _warn_list(request, e)
    return _action(request, election_id, run, "Đã lưu danh sách bầu cử.", "list_form",
                   lambda e: ListForm(request.POST))


def _categories(e):
    return services.BASE_CATEGORIES.get(e.congress.kind, services.BASE_CATEGORIES["members"])


@login_required
@require_http_methods(["POST"])
def election_base(request, election_id: int):
    def run(e, c):
        services.election_base_set(actor=request.user, election=e, excluded={k: v or 0 for k, v in c.items()})
    return _action(request, election_id, run, "Đã tính cơ sở tính kết quả (CON-7).", "base_form",
                   lambda e: BaseForm(request.POST, categories=_categories(e)))


@login_required
@require_http_methods(["POST"])
def election_open(request, election_id: int):
    return _action(request, election_id, lambda e, _c: services.election_open(actor=request.user, election=e),
                   "Đã chốt danh sách, bắt đầu bỏ phiếu.")


@login_required
@require_http_methods(["POST"])
def election_count_start(request, election_id: int):
    def run(e, c):
        services.election_count_start(actor=request.user, election=e, issued=c["issued"], returned=c["returned"])
    return _action(request, election_id, run, "Đã niêm phong hòm phiếu, bắt đầu kiểm phiếu.", "box_form",
                   lambda e: BoxForm(request.POST))


@login_required
@require_http_methods(["POST"])
def election_tally(request, election_id: int):
    return _action(request, election_id, lambda e, _c: services.election_tally(actor=request.user, election=e),
                   "Đã kiểm phiếu xong.")


@login_required
@require_http_methods(["POST"])
def election_complaints(request, election_id: int):
    def run(e, c):
        services.election_complaints_set(actor=request.user, election=e, text=c["complaints"])
    return _action(request, election_id, run, "Đã lưu khiếu nại, kiến nghị.", "complaints_form",
                   lambda e: ComplaintsForm(request.POST))


@login_required
@require_http_methods(["POST"])
def election_next_round(request, election_id: int):
    e = selectors.election_get(user=request.user, election_id=election_id)
    _manage(request, e)
    try:
        new = services.election_next_round(actor=request.user, election=e)
    except InvalidInput as exc:
        return _fail(request, exc, "election_detail", election_id=e.id)
    messages.success(request, f"Đã tạo «{new.title}».")
    return redirect("election_detail", election_id=new.id)


# --------------------------------------------------------------------------------------------------
# Double entry and the committee's desk
# --------------------------------------------------------------------------------------------------


def _counting(request, election_id: int):
    """(round, the user's reason not to enter or None): the counting committee's members enter and
    decide; staff covering the congress supervise read-only (`selectors.election_for_counting`)."""
    e = selectors.election_for_counting(user=request.user, election_id=election_id)
    return e, services.teller_problem(e, request.user)


#: What a teller is told after saving a ballot, by the ballot's state.
ENTRY_SAID = {PENDING: "đã lưu, chờ tổ viên kia nhập", ACCEPTED: "hai lần nhập khớp, đã tính",
              MISMATCH: "HAI LẦN NHẬP KHÔNG KHỚP — chuyển Ban Kiểm phiếu",
              CONTESTED: "chuyển Ban Kiểm phiếu quyết định"}


@login_required
@require_http_methods(["GET", "POST"])
def ballot_entry(request, election_id: int, teller: int):
    """A teller's desk: the ballot number (next one prefilled), the names kept typed as numbers or
    ticked, the flags; Enter saves and the next number comes up. The other teller's readings are
    never shown here (independent entry). Only a member of the counting committee enters, as themselves
    (the service refuses anyone else); staff covering the congress see the desk without the form.
    A refused entry comes back (422) with the problem beside its field and the reading as typed."""
    e, not_teller = _counting(request, election_id)
    candidates = list(e.candidates.all())
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST, election=e, candidates=candidates)
        if form.is_valid():
            try:
                b = services.ballot_enter(actor=request.user, election=e, teller=teller,
                                          ballot_no=form.cleaned_data["ballot_no"], **form.reading())
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                (messages.warning if b.status == MISMATCH else messages.success)(
                    request, f"Phiếu số {b.ballot_no}: {ENTRY_SAID[b.status]}.")
                return redirect(f"ballot_entry_{teller}", election_id=e.id)
        status = 422
    mine = set(e.ballots.filter(entries__teller=teller).values_list("ballot_no", flat=True))
    nxt = next((n for n in range(1, (e.returned or 0) + 1) if n not in mine), None)
    if request.method == "GET":
        form = EntryForm(election=e, candidates=candidates, initial={"ballot_no": nxt})
    return render(request, "elections/entry.html", {
        "e": e, "c": e.congress, "teller": teller, "next_no": nxt, "entered": len(mine), "form": form,
        "progress": selectors.progress(e), "not_teller": not_teller, "sees_round": _sees_round(request, e)},
        status=status)


def _sees_round(request, e) -> bool:
    return scope_of(request.user).covers_path(e.congress.organization.path)


@login_required
@require_http_methods(["GET", "POST"])
def ballot_desk(request, election_id: int):
    """The counting committee's desk: each mismatch with both readings and a re-read form; each
    contested ballot with the ruling form (valid / invalid, ground, reason). Members of the counting
    committee decide (the service refuses anyone else); staff covering the congress see it read-only.
    A refused decision comes back (422) beside the ballot's form, with what was typed."""
    e, not_teller = _counting(request, election_id)
    candidates = list(e.candidates.all())
    bound, status = None, 200
    if request.method == "POST":
        rule = request.POST.get("action") == "rule"
        auto_id = f"b{str(request.POST.get('ballot', ''))[:20]}_%s"  # one form per ballot on the page: ids apart
        form = (RuleForm(request.POST, auto_id=auto_id) if rule
                else ResolveForm(request.POST, election=e, candidates=candidates, auto_id=auto_id))
        if form.is_valid():
            c = form.cleaned_data
            ballot = selectors.ballot_get(e, c["ballot"])
            try:
                if rule:
                    services.ballot_rule(actor=request.user, ballot=ballot, valid=c["verdict"] == "valid",
                                         reason=c["reason"], invalid_flag=c["invalid_flag"])
                else:
                    services.ballot_resolve(actor=request.user, ballot=ballot, reason=c["reason"], **form.reading())
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"Phiếu số {ballot.ballot_no}: đã ghi quyết định của Ban Kiểm phiếu.")
                return redirect("ballot_desk", election_id=e.id)
        bound, status = form, 422
    problems = []
    for b in selectors.problem_ballots(e):
        if bound is not None and str(bound.data.get("ballot")) == str(b.id):
            form = bound
        elif b.status == MISMATCH:
            form = ResolveForm(election=e, candidates=candidates, initial={"ballot": b.id}, auto_id=f"b{b.id}_%s")
        else:
            form = RuleForm(initial={"ballot": b.id}, auto_id=f"b{b.id}_%s")
        problems.append({"b": b, "form": form})
    return render(request, "elections/desk.html", {
        "e": e, "c": e.congress, "problems": problems, "decided": list(selectors.decided_ballots(e)),
        "not_teller": not_teller, "sees_round": _sees_round(request, e), "flag_words": dict(FLAG_LABELS),
        "mark_words": dict(MARK_LABELS), "stray": bound if bound is not None and not any(
            p["form"] is bound for p in problems) else None}, status=status)


# --------------------------------------------------------------------------------------------------
# Projector and documents
# --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def election_projector(request, election_id: int):
    """For the hall's screen: large type, polled every 3 s: ballots counted, mismatches, and the
    results once the round is closed."""
    e = selectors.election_get(user=request.user, election_id=election_id)
    ctx = {"e": e, "c": e.congress, "progress": selectors.progress(e),
           "result": docs.result_rows(e) if e.status == CLOSED else None}
    if request.htmx:
        return render(request, "elections/_projector.html", ctx)
    return render(request, "elections/projector.html", ctx)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET"])
def ballot_paper(request, election_id: int):
    e = selectors.election_get(user=request.user, election_id=election_id)
    if e.status == DRAFT:
        messages.error(request, "Phiếu bầu chỉ in sau khi chốt danh sách.")
        return redirect("election_detail", election_id=e.id)
    return _download(docs.ballot_paper(e), f"phieu-bau-{e.id}.docx", DOCX)


@login_required
@require_http_methods(["GET"])
def counting_minutes(request, election_id: int):
    e = selectors.election_get(user=request.user, election_id=election_id)
    if e.status != CLOSED:
        messages.error(request, "Biên bản kiểm phiếu có sau khi kiểm phiếu xong.")
        return redirect("election_detail", election_id=e.id)
    return _download(docs.counting_minutes(e), f"bien-ban-kiem-phieu-{e.id}.docx", DOCX)


def _csv(rows: list[dict], columns) -> bytes:
    """Every cell through `core.safecells` (a name starting with = + - @ is written as text). The
    ballot cells are numbers, flags and hashes, which it leaves as they are, so the export stays
    exactly what `dangbo election verify` reads."""
    buf = io.StringIO()
    w = SafeDictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


@login_required
@require_http_methods(["GET"])
def ballots_csv(request, election_id: int):
    """The accepted ballots in chain order, `ballot_no,kept,flags,hash` — what `dangbo election
    verify` reads. Paper ballots carry no voter identity."""
    e = selectors.election_get(user=request.user, election_id=election_id)
    if e.status not in (COUNTING, CLOSED, VOTING):
        messages.error(request, "Chưa có phiếu để xuất.")
        return redirect("election_detail", election_id=e.id)
    rows = chain.export_rows([(b, k, f) for b, k, f, _m in services.chained_ballots(e)])
    return _download(_csv(rows, chain.EXPORT_COLUMNS), f"phieu-{e.id}.csv", "text/csv; charset=utf-8")


@login_required
@require_http_methods(["GET"])
def candidates_csv(request, election_id: int):
    """The list as `no,full_name` (the candidates file of `dangbo election verify`)."""
    e = selectors.election_get(user=request.user, election_id=election_id)
    rows = [{"no": c.no, "full_name": c.full_name} for c in e.candidates.all()]
    return _download(_csv(rows, ("no", "full_name")), f"ung-vien-{e.id}.csv", "text/csv; charset=utf-8")
