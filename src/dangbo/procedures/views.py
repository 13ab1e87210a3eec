"""Pages of the member procedures: admission files (list, open, one file and its next step), the
badge list of an award occasion, "what is due". Staff pages (office and secretaries, scoped)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangbo.accounts.selectors import require_manage
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.members import rules as mr
from dangbo.orgs.rules import CELL_KINDS
from dangbo.orgs.selectors import org_list
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
    ctx = {"applicants": selectors.applicant_list(user=request.user), "form": form}
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
    return render(request, "procedures/due.html", {"items": selectors.due_list(user=request.user)})


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
           "scope": scope}
    return render(request, "procedures/transfers.html", ctx, status=422 if failed else 200)
