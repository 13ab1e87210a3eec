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
from dangbo.core.safecells import SafeDictWriter
from dangbo.elections import chain, docs, rules, selectors, services
from dangbo.elections.models import AGREE_FORM, BODY_CHOICES, CLOSED, COUNTING, DRAFT, MISMATCH, VOTING

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _numbers(text: str) -> list[int]:
    """"1 3, 5" → [1, 3, 5]; anything that is not a number raises InvalidInput naming the field."""
    out = []
    for part in str(text or "").replace(",", " ").replace(";", " ").replace(".", " ").split():
        if not part.isdigit():
            raise InvalidInput(f"«Tên giữ lại»: «{part}» không phải số thứ tự.", field="kept")
        out.append(int(part))
    return out


def _lines(text: str) -> list[str]:
    """The list typed one name a line. Split on line breaks only (not `splitlines`, which also splits on
    control characters such as U+001E): such a character stays in its name and the service refuses it."""
    return [line for line in str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def _manage(request, election) -> None:
    require_manage(request.user, election.congress.organization.path)


def _reading_from(post, election) -> dict:
    """The reading of a ballot as typed: kept numbers (typed and/or ticked), marks, flags, contested."""
    if election.form == AGREE_FORM:
        marks = {str(c.no): post.get(f"mark_{c.no}", rules.NEITHER) for c in election.candidates.all()}
        kept = []
    else:
        marks = None
        kept = sorted(set(_numbers(post.get("kept_text", ""))) | {n for n in map(_int, post.getlist("kept")) if n})
    return {"kept": kept, "marks": marks, "flags": [f for f in post.getlist("flags") if f],
            "contested": post.get("contested") == "on"}


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
    if request.method == "POST":
        require_manage(request.user, congress.organization.path)
        names = _lines(request.POST.get("candidates", ""))
        try:
            e = services.election_create(actor=request.user, congress=congress, body=request.POST.get("body", ""),
                                         seats=_int(request.POST.get("seats"), 0), candidates=names)
        except InvalidInput as exc:
            return _fail(request, exc, "congress_elections", congress_id=congress.id)
        messages.success(request, f"Đã tạo «{e.title}».")
        _warn_list(request, e)
        return redirect("election_detail", election_id=e.id)
    return render(request, "elections/congress.html", {"c": congress, "rows": rows, "bodies": BODY_CHOICES,
                                                       "can_manage": can_manage})


def _detail_context(request, e) -> dict:
    ctx = {"e": e, "c": e.congress, "can_manage": scope_of(request.user).covers_path(e.congress.organization.path),
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


def _action(request, election_id: int, run, done: str):
    e = selectors.election_get(user=request.user, election_id=election_id)
    _manage(request, e)
    try:
        run(e)
    except InvalidInput as exc:
        return _fail(request, exc, "election_detail", election_id=e.id)
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
    names = _lines(request.POST.get("candidates", ""))

    def run(e):
        e = services.candidates_set(actor=request.user, election=e, candidates=names,
                                    seats=_int(request.POST.get("seats"), 0))
        _warn_list(request, e)
    return _action(request, election_id, run, "Đã lưu danh sách bầu cử.")


@login_required
@require_http_methods(["POST"])
def election_base(request, election_id: int):
    def run(e):
        keys = [k for k, _ in services.BASE_CATEGORIES.get(e.congress.kind, services.BASE_CATEGORIES["members"])]
        excluded = {}
        for k in keys:
            v = _int(request.POST.get(k) or 0)
            if v is None:
                raise InvalidInput("Số loại trừ phải là số nguyên không âm.", field=k)
            excluded[k] = v
        services.election_base_set(actor=request.user, election=e, excluded=excluded)
    return _action(request, election_id, run, "Đã tính cơ sở tính kết quả (CON-7).")


@login_required
@require_http_methods(["POST"])
def election_open(request, election_id: int):
    return _action(request, election_id, lambda e: services.election_open(actor=request.user, election=e),
                   "Đã chốt danh sách, bắt đầu bỏ phiếu.")


@login_required
@require_http_methods(["POST"])
def election_count_start(request, election_id: int):
    def run(e):
        issued, returned = _int(request.POST.get("issued")), _int(request.POST.get("returned"))
        if issued is None:
            raise InvalidInput("Nhập «Số phiếu phát ra».", field="issued")
        if returned is None:
            raise InvalidInput("Nhập «Số phiếu thu vào».", field="returned")
        services.election_count_start(actor=request.user, election=e, issued=issued, returned=returned)
    return _action(request, election_id, run, "Đã niêm phong hòm phiếu, bắt đầu kiểm phiếu.")


@login_required
@require_http_methods(["POST"])
def election_tally(request, election_id: int):
    return _action(request, election_id, lambda e: services.election_tally(actor=request.user, election=e),
                   "Đã kiểm phiếu xong.")


@login_required
@require_http_methods(["POST"])
def election_complaints(request, election_id: int):
    return _action(request, election_id, lambda e: services.election_complaints_set(
        actor=request.user, election=e, text=request.POST.get("complaints", "")), "Đã lưu khiếu nại, kiến nghị.")


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


@login_required
@require_http_methods(["GET", "POST"])
def ballot_entry(request, election_id: int, teller: int):
    """A teller's desk: the ballot number (next one prefilled), the names kept typed as numbers or
    ticked, the flags; Enter saves and the next number comes up. The other teller's readings are
    never shown here (independent entry). Only a member of the counting committee enters, as themselves
    (the service refuses anyone else); staff covering the congress see the desk without the form."""
    e, not_teller = _counting(request, election_id)
    if request.method == "POST":
        ballot_no = _int(request.POST.get("ballot_no"))
        try:
            if ballot_no is None:
                raise InvalidInput("Nhập «Số phiếu».", field="ballot_no")
            b = services.ballot_enter(actor=request.user, election=e, teller=teller, ballot_no=ballot_no,
                                      **_reading_from(request.POST, e))
        except InvalidInput as exc:
            return _fail(request, exc, f"ballot_entry_{teller}", election_id=e.id)
        text = {"pending": "đã lưu, chờ tổ viên kia nhập", "accepted": "hai lần nhập khớp, đã tính",
                "mismatch": "HAI LẦN NHẬP KHÔNG KHỚP — chuyển Ban Kiểm phiếu",
                "contested": "chuyển Ban Kiểm phiếu quyết định"}[b.status]
        (messages.warning if b.status == MISMATCH else messages.success)(request, f"Phiếu số {b.ballot_no}: {text}.")
        return redirect(f"ballot_entry_{teller}", election_id=e.id)
    mine = set(e.ballots.filter(entries__teller=teller).values_list("ballot_no", flat=True))
    nxt = next((n for n in range(1, (e.returned or 0) + 1) if n not in mine), None)
    return render(request, "elections/entry.html", {
        "e": e, "c": e.congress, "teller": teller, "next_no": nxt, "entered": len(mine),
        "candidates": list(e.candidates.all()), "flags": FLAG_LABELS, "progress": selectors.progress(e),
        "marks": MARK_LABELS, "not_teller": not_teller, "sees_round": _sees_round(request, e)})


def _sees_round(request, e) -> bool:
    return scope_of(request.user).covers_path(e.congress.organization.path)


FLAG_LABELS = [(rules.FLAG_UNSTAMPED, "Không có dấu của Ban Kiểm phiếu"),
               (rules.FLAG_ADDED_NAME, "Ghi thêm tên ngoài danh sách"),
               (rules.FLAG_MARK, "Có dấu hiệu riêng / ghi thêm nội dung")]
MARK_LABELS = [(rules.AGREE, "Đồng ý"), (rules.DISAGREE, "Không đồng ý"), (rules.BOTH, "Cả hai ô"),
               (rules.NEITHER, "Không đánh dấu")]


@login_required
@require_http_methods(["GET", "POST"])
def ballot_desk(request, election_id: int):
    """The counting committee's desk: each mismatch with both readings and a re-read form; each
    contested ballot with the ruling form (valid / invalid, ground, reason). Members of the counting
    committee decide (the service refuses anyone else); staff covering the congress see it read-only."""
    e, not_teller = _counting(request, election_id)
    if request.method == "POST":
        try:
            ballot = selectors.ballot_get(e, request.POST.get("ballot"))
            reason = request.POST.get("reason", "")
            if request.POST.get("action") == "rule":
                verdict = request.POST.get("verdict")
                if verdict not in ("valid", "invalid"):
                    raise InvalidInput("Chọn «Hợp lệ» hoặc «Không hợp lệ».", field="verdict")
                services.ballot_rule(actor=request.user, ballot=ballot, valid=verdict == "valid", reason=reason,
                                     invalid_flag=request.POST.get("invalid_flag", ""))
            else:
                services.ballot_resolve(actor=request.user, ballot=ballot, reason=reason,
                                        **_reading_from(request.POST, e))
        except InvalidInput as exc:
            return _fail(request, exc, "ballot_desk", election_id=e.id)
        messages.success(request, f"Phiếu số {ballot.ballot_no}: đã ghi quyết định của Ban Kiểm phiếu.")
        return redirect("ballot_desk", election_id=e.id)
    return render(request, "elections/desk.html", {
        "e": e, "c": e.congress, "problems": list(selectors.problem_ballots(e)),
        "candidates": list(e.candidates.all()), "flags": FLAG_LABELS, "marks": MARK_LABELS,
        "decided": list(selectors.decided_ballots(e)), "not_teller": not_teller,
        "sees_round": _sees_round(request, e), "flag_words": dict(FLAG_LABELS), "mark_words": dict(MARK_LABELS)})




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
