"""Open-vote pages (CON-4): the presidium / secretariat control page, the projector page, and the
delegate's phone page. Office staff and secretaries covering the congress's organisation manage;
a delegate votes only for themselves (their member account)."""

import uuid

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dangbo.accounts.selectors import require_manage
from dangbo.congress import selectors as congress_selectors
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.votes import rules, selectors, services
from dangbo.votes.forms import CastForm, ExclusionsForm, HandsForm, VoteForm
from dangbo.votes.models import CLOSED, PHONES, Mode, OpenVote


def _managed(request, congress_id):
    congress = congress_selectors.congress_get(user=request.user, congress_id=congress_id)
    require_manage(request.user, congress.organization.path)
    return congress


@login_required
@require_http_methods(["GET", "POST"])
def vote_list(request, congress_id: int):
    """The congress's open votes; POST creates one (draft)."""
    congress = _managed(request, congress_id)
    form, status = VoteForm(), 200
    if request.method == "POST":
        form = VoteForm(request.POST)
        if form.is_valid():
            try:
                vote = services.vote_create(actor=request.user, congress=congress, **form.cleaned_data)
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"Đã tạo biểu quyết «{vote.subject}».")
                return redirect("vote_control", congress_id=congress.id, vote_id=vote.id)
        status = 422
    return render(request, "votes/list.html", {
        "c": congress, "votes": selectors.votes_of(congress), "form": form,
        "kinds": OpenVote.KIND_CHOICES, "modes": Mode.choices, "q": congress_selectors.quorum(congress),
    }, status=status)


def _control_context(vote, **bound) -> dict:
    """The control page; `bound` holds the form just sent back with its errors (the others fresh)."""
    b = selectors.base_info(vote)
    categories = [(key, label) for key, label, _value in b["rows"]]
    forms = {"exclusions_form": ExclusionsForm(categories=categories, initial={k: v for k, _l, v in b["rows"]}),
             "hands_form": HandsForm(initial={"votes_for": vote.votes_for, "votes_against": vote.votes_against,
                                              "votes_abstain": vote.votes_abstain}), **bound}
    return {"c": vote.congress, "v": vote, "r": selectors.result(vote), "labels": rules.CHOICE_LABELS, "b": b,
            **forms}


@login_required
@require_http_methods(["GET", "POST"])
def vote_control(request, congress_id: int, vote_id: int):
    """GET: the control page (htmx: the live counts); POST action=exclusions|open|close|hands. A refused
    POST comes back (422) with each problem beside its field, or at the top for open / close."""
    congress = _managed(request, congress_id)
    vote = selectors.vote_get(congress, vote_id)
    if request.method == "GET":
        template = "votes/_live.html" if request.htmx else "votes/control.html"
        return render(request, template, _control_context(vote))
    action = request.POST.get("action", "")
    form, name = None, ""
    if action == "exclusions":
        categories = [(key, label) for key, label, _v in selectors.base_info(vote)["rows"]]
        form, name = ExclusionsForm(request.POST, categories=categories), "exclusions_form"
    elif action == "hands":
        form, name = HandsForm(request.POST), "hands_form"
    problem = None
    if form is None or form.is_valid():
        try:
            if action == "open":
                vote = services.vote_open(actor=request.user, vote=vote)
                text = f"Đã mở biểu quyết; cơ sở tính {vote.base} đại biểu."
            elif action == "close":
                vote = services.vote_close(actor=request.user, vote=vote)
                text = "Đã kết thúc biểu quyết: " + ("THÔNG QUA." if vote.passed else "KHÔNG THÔNG QUA.")
            elif action == "exclusions":
                vote = services.vote_exclusions_set(actor=request.user, vote=vote, excluded=form.excluded())
                text = f"Đã lưu số loại trừ: {sum(vote.exclusions.values())} đại biểu không tính vào cơ sở."
            elif action == "hands":
                vote = services.vote_hands_enter(actor=request.user, vote=vote, **form.cleaned_data)
                text = "Đã ghi số biểu quyết giơ tay."
            else:
                raise InvalidInput("Thao tác không hợp lệ.", field="action")
        except InvalidInput as exc:
            if form is None:
                problem = exc.message
            else:
                add_errors(form, exc)
        else:
            messages.success(request, text)
            return redirect("vote_control", congress_id=congress.id, vote_id=vote.id)
    vote = selectors.vote_get(congress, vote_id)
    ctx = _control_context(vote, **({name: form} if form is not None else {}))
    return render(request, "votes/control.html", {**ctx, "problem": problem}, status=422)


@login_required
@require_http_methods(["GET"])
def vote_projector(request, congress_id: int, vote_id: int):
    """The result for the hall projector (big figures; htmx-polled while the vote is open)."""
    congress = congress_selectors.congress_get(user=request.user, congress_id=congress_id)
    vote = selectors.vote_get(congress, vote_id)
    if request.htmx:
        return render(request, "votes/_projector_body.html", _control_context(vote))
    qr = None
    if vote.mode == PHONES and vote.status != CLOSED:  # delegates scan it to open their phone page
        qr = segno.make(request.build_absolute_uri(reverse("vote_phone"))).svg_inline(scale=5)
    return render(request, "votes/projector.html", {**_control_context(vote), "qr": qr})


def _phone(request, *, status=200, ack=None, error=None, rows=None):
    rows = selectors.delegate_ballots(user=request.user) if rows is None else rows
    for row in rows:
        row["token"] = uuid.uuid4().hex
    # nothing to press: the page asks again every few seconds, so the buttons appear when the
    # presidium opens a vote (a page showing buttons never polls, so a tap is never swapped away)
    waiting = not any(r["may_vote"] and not r["cast"] and r["vote"].status != CLOSED for r in rows)
    from dangbo.elections.selectors import teller_rounds  # a counting committee member's way to their desks

    return render(request, "votes/phone.html", {"rows": rows, "ack": ack, "error": error, "waiting": waiting,
                                                "labels": rules.CHOICE_LABELS, "choices": rules.CHOICES,
                                                "counts_ballots": bool(teller_rounds(user=request.user)),
                                                "is_delegate": bool(rows) or selectors.is_delegate(user=request.user)},
                  status=status)


@login_required
@require_http_methods(["GET"])
def vote_phone(request):
    """The delegate's phone page: the open vote of each congress where they are a delegate."""
    return _phone(request)


@login_required
@require_http_methods(["GET", "POST"])
def vote_phone_cast(request, vote_id: int):
    """POST choice + token: cast the delegate's own vote; answered only after the commit."""
    vote, delegate = selectors.own_delegate(user=request.user, vote_id=vote_id)
    if request.method == "GET":
        return redirect("vote_phone")
    form = CastForm(request.POST)
    if not form.is_valid():
        return _phone(request, status=422, error=" ".join(e for errs in form.errors.values() for e in errs))
    try:
        cast, _new = services.vote_cast(actor=request.user, vote=vote, delegate=delegate, **form.cleaned_data)
    except services.AlreadyVoted as exc:
        return _phone(request, status=409, error=exc.message)
    except InvalidInput as exc:
        return _phone(request, status=422, error=exc.message)
    return _phone(request, ack=cast, rows=[selectors.ballot_row(vote, delegate, cast)])
