"""Pages of the member procedures: admission files (list, open, one file and its next step), the
badge list of an award occasion, "what is due". Staff pages (office and secretaries, scoped)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangbo.accounts.models import ROLE_OFFICE
from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.members import rules as mr
from dangbo.orgs.rules import CELL_KINDS
from dangbo.orgs.selectors import org_get, org_list
from dangbo.procedures import documents, selectors, services
from dangbo.procedures.forms import (
    STEP_FORMS,
    ApplicantForm,
    IntroducersForm,
    TransferExportForm,
    TransferImportForm,
)
from dangbo.procedures.models import STEPS
from dangbo.web.access import staff_page

DENIED = "Thủ tục kết nạp, chuyển sinh hoạt và Huy hiệu Đảng do cấp ủy và Văn phòng thực hiện."


def _staff(view):
    return staff_page(view, message=DENIED)


@login_required
@require_http_methods(["GET", "POST"])
@_staff
def applicant_list(request):
    cells = org_list(user=request.user, include_dissolved=False).filter(kind__in=list(CELL_KINDS))
    form = ApplicantForm(request.POST or None, orgs=cells)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        require_manage(request.user, c["organization"].path)
        try:
            a = services.applicant_create(actor=request.user, organization=c["organization"], full_name=c["full_name"],
                                          sex=c["sex"], birth_date=c["birth_date"],
                                          over_limit_consent=c["over_limit_consent"])
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã mở hồ sơ kết nạp của {a.full_name}.")
            return redirect("procedure_applicant", applicant_id=a.id)
    ctx = {"applicants": selectors.applicant_list(user=request.user), "form": form,
           "office": scope_of(request.user).role == ROLE_OFFICE}
    return render(request, "procedures/applicants.html", ctx, status=422 if form.errors else 200)


def _step_call(step, a, request, c, form):
    kw = {"actor": request.user, "applicant": a}
    if step == "introducers":
        return services.step_introducers(**kw, introduced_date=c["introduced_date"], introducers=form.introducers())
    fn = getattr(services, f"step_{step}")
    return fn(**kw, **c)


@login_required
@require_http_methods(["GET", "POST"])
@_staff
def applicant_detail(request, applicant_id: int):
    a = selectors.applicant_get(user=request.user, applicant_id=applicant_id)
    step = a.step
    form = None
    if step in STEP_FORMS:
        cls = STEP_FORMS[step]
        extra = {"members": selectors.introducer_choices(user=request.user)} if cls is IntroducersForm else {}
        form = cls(request.POST or None, **extra)
        if request.method == "POST":
            require_manage(request.user, a.org_path)
            if form.is_valid():
                try:
                    a = _step_call(step, a, request, form.cleaned_data, form)
                except InvalidInput as exc:
                    add_errors(form, exc)
                else:
                    messages.success(request, "Đã ghi bước «" + dict((k, v) for k, v, _c in STEPS)[step] + "».")
                    return redirect("procedure_applicant", applicant_id=a.id)
    steps = [{"key": k, "label": label, "on": getattr(a, col), "current": k == step} for k, label, col in STEPS]
    ctx = {"a": a, "steps": steps, "form": form, "step_label": a.step_label,
           "ceremony_deadline": services.ceremony_deadline(a)}
    return render(request, "procedures/applicant.html", ctx, status=422 if form is not None and form.errors else 200)


@login_required
@require_GET
@_staff
def applicant_docx(request, applicant_id: int):
    a = selectors.applicant_get(user=request.user, applicant_id=applicant_id)
    data = documents.admission_file_docx(a, ceremony_deadline=services.ceremony_deadline(a))
    return _docx(data, f"ho-so-ket-nap-{a.id}.docx")


@login_required
@require_GET
@_staff
def applicant_form_docx(request, applicant_id: int, number: int):
    """ADM-7: Mẫu 1–4-KNĐ of the file, each its own Word file."""
    a = selectors.applicant_get(user=request.user, applicant_id=applicant_id)
    return _docx(documents.admission_form_docx(a, number), f"mau-{number}-knd-{a.id}.docx")


def _docx(data: bytes, name: str) -> HttpResponse:
    r = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    r["Content-Disposition"] = f'attachment; filename="{name}"'
    return r


def _occasion(request) -> date:
    try:
        return mr.next_award_day(date.fromisoformat(request.GET.get("dot", "")))
    except ValueError:
        return mr.next_award_day(date.today())


@login_required
@require_GET
@_staff
def badges(request):
    occasion = _occasion(request)
    rows = selectors.badge_list(user=request.user, occasion=occasion)
    following = mr.next_award_day(date.fromordinal(occasion.toordinal() + 1))
    if request.GET.get("tai") == "docx":
        return _docx(documents.badge_list_docx(rows, occasion=occasion), f"huy-hieu-{occasion:%Y-%m-%d}.docx")
    return render(request, "procedures/badges.html", {"rows": rows, "occasion": occasion, "following": following})


@login_required
@require_GET
@_staff
def due(request):
    """«Việc cần làm»: a list of at most `due.PAGE` items whole (a cell's); a larger one (a province's
    thousands) as the number of items of each kind, where the kind chosen (`?loai=`) has most of them —
    by the organisations directly under the page's, each linking to its own page (`?org=`, an
    organisation of the user's scope) — and its items a page at a time (`&trang=`), the latest deadline
    first."""
    from dangbo.procedures import due as d

    org = None
    if request.GET.get("org", "").isdigit():
        org = org_get(user=request.user, org_id=int(request.GET["org"]))
    ctx = {"calendar_link": scope_of(request.user).role == ROLE_OFFICE, "items": [], "summary": None,
           "org": org, "org_q": f"org={org.pk}&" if org else ""}
    s = selectors.due_summary(user=request.user, org=org)
    if s is None or s.total <= d.PAGE:
        ctx["items"] = d.all_rows(s) if s else []
        return render(request, "procedures/due.html", ctx)
    kind = s.kind(request.GET.get("loai"))
    pages = max(1, -(-kind.count // d.PAGE))
    try:
        number = min(max(1, int(request.GET.get("trang", "1"))), pages)
    except ValueError:
        number = 1
    top, other_orgs, other_items = d.org_breakdown(s, kind) if kind.count > d.PAGE else ([], 0, 0)
    ctx.update(summary=s, kind=kind, rows=d.page(s, kind, number), number=number, pages=pages, top=top,
               other_orgs=other_orgs, other_items=other_items)
    return render(request, "procedures/due.html", ctx)


@login_required
@require_GET
@_staff
def due_digest(request):
    """The first items of "what is due", asked by the staff home page once it is shown (htmx) when its
    scope is too big to list them at once (a province's badges take seconds; accounts/views.py)."""
    return render(request, "procedures/_digest.html", selectors.due_digest(user=request.user))


@login_required
@require_http_methods(["GET", "POST"])
@_staff
def transfers(request):
    """MEM-5: the signed transfer file — export for a member leaving the committee, import of one
    received (signature checked; the signer's fingerprint shown to compare with the sender's)."""
    from django.conf import settings

    from dangbo.accounts.selectors import require_office

    scope = require_office(request.user)
    members = selectors.transfer_members(user=request.user)
    cells = org_list(user=request.user, include_dissolved=False).filter(kind__in=list(CELL_KINDS))
    out_form = TransferExportForm(request.POST if "export" in request.POST else None, members=members)
    in_form = TransferImportForm(request.POST if "import" in request.POST else None,
                                 request.FILES if "import" in request.POST else None, orgs=cells)
    if "export" in request.POST and out_form.is_valid():
        c = out_form.cleaned_data
        try:
            data = services.transfer_export(actor=request.user, member=c["member"], letter_number=c["letter_number"],
                                            destination=c["destination"], var_dir=settings.VAR_DIR)
        except InvalidInput as exc:
            add_errors(out_form, exc)
        else:
            r = HttpResponse(data, content_type="application/json")
            r["Content-Disposition"] = f'attachment; filename="chuyen-sinh-hoat-{c["member"].id}.json"'
            return r
    if "import" in request.POST and in_form.is_valid():
        c = in_form.cleaned_data
        require_manage(request.user, c["organization"].path)
        try:
            member = services.transfer_import(actor=request.user, data=c["file"].read(services.transfer.MAX_BYTES + 1),
                                              organization=c["organization"])
        except InvalidInput as exc:
            add_errors(in_form, exc)
        else:
            messages.success(request, f"Đã nhận {member.full_name} từ {member.transfer_import.from_committee}; "
                                      f"dấu vân khóa ký của nơi gửi: {member.transfer_import.fingerprint}.")
            return redirect("member_detail", member.id)
    failed = request.method == "POST"
    ctx = {"out_form": out_form, "in_form": in_form, "received": selectors.transfer_imports(user=request.user),
           "scope": scope, "own_print": services.own_fingerprint(var_dir=settings.VAR_DIR, org_path=scope.org_path)}
    return render(request, "procedures/transfers.html", ctx, status=422 if failed else 200)


def _renamed(exc: InvalidInput, names: dict[str, str]) -> InvalidInput:
    """The service's errors under the form's field names."""
    errors = exc.errors or {exc.field: exc.message}
    return InvalidInput(exc.message, errors={names.get(k, k): v for k, v in errors.items()})


@login_required
@require_http_methods(["GET", "POST"])
@_staff
def letters(request):
    """MEM-5: introduction letters (issue with its deadlines, numbered), inspections and complaints
    that hold a transfer back, temporary periods ending; the receiving cell confirms."""
    from dangbo.procedures.forms import HoldForm, LetterForm

    members = selectors.transfer_members(user=request.user)
    letter_form = LetterForm(request.POST if "letter" in request.POST else None, members=members,
                             cells=selectors.transfer_cells(user=request.user))
    hold_form = HoldForm(request.POST if "hold" in request.POST else None, members=members)
    if "letter" in request.POST and letter_form.is_valid():
        c = letter_form.cleaned_data
        require_manage(request.user, c["member"].org_path)
        try:
            letter = services.letter_issue(actor=request.user, member=c["member"], kind=c["kind"], to_org=c["to_org"],
                                           letter_date=c["letter_date"], end_date=c["end_date"], study=c["study"])
        except InvalidInput as exc:
            add_errors(letter_form, _renamed(exc, {"date": "letter_date"}))
        else:
            messages.success(request, f"Đã cấp giấy giới thiệu số {letter.label} cho {letter.member.full_name}.")
            return redirect("procedure_letters")
    if "hold" in request.POST and hold_form.is_valid():
        c = hold_form.cleaned_data
        require_manage(request.user, c["hold_member"].org_path)
        try:
            services.hold_record(actor=request.user, member=c["hold_member"], kind=c["hold_kind"],
                                 decision=c["decision"], start_date=c["start_date"], end_date=c["end_date"])
        except InvalidInput as exc:
            add_errors(hold_form, _renamed(exc, {"kind": "hold_kind", "member": "hold_member"}))
        else:
            messages.success(request, "Đã ghi thời gian không được chuyển sinh hoạt.")
            return redirect("procedure_letters")
    today = date.today()
    rows = list(selectors.letter_list(user=request.user))
    own = scope_of(request.user).org_path
    for t in rows:  # the issuing side may withdraw; the receiving side only confirms
        t.can_withdraw = t.org_path.startswith(own)
    ctx = {"letter_form": letter_form, "hold_form": hold_form, "today": today,
           "waiting": [t for t in rows if t.confirmed_date is None and t.withdrawn_date is None],
           "withdrawn": [t for t in rows if t.withdrawn_date is not None][:50],
           "temporary": [t for t in rows if t.confirmed_date and t.kind == "temporary" and t.end_date
                         and t.end_date >= today],
           "done": [t for t in rows if t.confirmed_date and not (t.kind == "temporary" and t.end_date
                                                                  and t.end_date >= today)][:50],
           "holds": selectors.holds_in_force(user=request.user, today=today),
           "office": scope_of(request.user).role == ROLE_OFFICE}  # the signed file's page is the office's
    return render(request, "procedures/letters.html", ctx, status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["POST"])
@_staff
def letter_confirm(request, letter_id: int):
    """MEM-5: the receiving cell (staff covering it) confirms the member presented the letter."""
    from dangbo.procedures.forms import ConfirmForm

    letter = selectors.letter_get(user=request.user, letter_id=letter_id)
    require_manage(request.user, letter.to_org.path)
    return _act_and_back(
        request, ConfirmForm(request.POST),
        lambda c: services.letter_confirm(actor=request.user, letter=letter, received_date=c["received_date"]),
        lambda: f"{letter.to_org.name} đã nhận {letter.member.full_name} (giấy giới thiệu số {letter.label}).")


@login_required
@require_http_methods(["POST"])
@_staff
def letter_withdraw(request, letter_id: int):
    """MEM-5: the issuing side (staff managing the member) withdraws a letter not yet confirmed."""
    from dangbo.procedures.forms import WithdrawForm

    letter = selectors.letter_get(user=request.user, letter_id=letter_id)
    require_manage(request.user, letter.org_path)
    return _act_and_back(
        request, WithdrawForm(request.POST),
        lambda c: services.letter_withdraw(actor=request.user, letter=letter, withdrawn_date=c["withdrawn_date"],
                                           reason=c["withdraw_reason"]),
        lambda: f"Đã thu hồi giấy giới thiệu số {letter.label} của {letter.member.full_name}.")


@login_required
@require_http_methods(["POST"])
@_staff
def hold_end(request, hold_id: int):
    """MEM-5: the inspection or complaint is over on the day given (staff managing the member)."""
    from dangbo.procedures.forms import HoldEndForm

    hold = selectors.hold_get(user=request.user, hold_id=hold_id)
    require_manage(request.user, hold.org_path)
    return _act_and_back(
        request, HoldEndForm(request.POST),
        lambda c: services.hold_end(actor=request.user, hold=hold, end_date=c["hold_end_date"]),
        lambda: f"Đã ghi ngày kết thúc của {hold.member.full_name}: {hold.end_date:%d/%m/%Y}.")


def _act_and_back(request, form, act, success):
    """A one-button form on the letters page: run `act(cleaned_data)`, say how it went, go back."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success())
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("procedure_letters")


@login_required
@require_GET
@_staff
def letter_docx(request, letter_id: int):
    letter = selectors.letter_get(user=request.user, letter_id=letter_id)
    return _docx(documents.transfer_letter_docx(letter), f"giay-gioi-thieu-{letter.number}-{letter.year}.docx")


@login_required
@require_http_methods(["GET", "POST"])
@_staff
def early_badge(request):
    """MEM-3: the cell proposes an early badge award for a member seriously ill."""
    from dangbo.procedures.forms import EarlyBadgeForm

    members = selectors.introducer_choices(user=request.user)  # official members of the scope, by name
    form = EarlyBadgeForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        require_manage(request.user, c["member"].org_path)
        try:
            early = services.early_badge_propose(actor=request.user, member=c["member"], months=c["months"],
                                                 reason=c["reason"], cell_resolution=c["cell_resolution"],
                                                 proposed_date=c["proposed_date"])
        except InvalidInput as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi đề nghị xét sớm Huy hiệu {early.tier} năm tuổi Đảng cho "
                                      f"{early.member.full_name} ({early.months} tháng).")
            return redirect("procedure_badges")
    return render(request, "procedures/early_badge.html", {"form": form},
                  status=422 if request.method == "POST" else 200)
