"""Credentials pages (CON-3): the committee's finding per delegate (refusal only on the allowed grounds),
and the credentials report as a page and a Word document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangbo.congress import rules, selectors, services
from dangbo.congress.documents import credentials_report_docx
from dangbo.congress.forms import CredentialForm
from dangbo.congress.views_setup import managed_congress
from dangbo.core.errors import InvalidInput

REPORT_KIND, REPORT_TITLE = "credentials_report", "Báo cáo thẩm tra tư cách đại biểu"


def report_ref(congress) -> str:
    return f"credentials:{congress.pk}"


def report_number(congress):
    """The credentials report's CON-10 number if one was issued (a read: GETs never issue numbers)."""
    return congress.documents.filter(kind=REPORT_KIND, ref=report_ref(congress)).first()


@login_required
@require_http_methods(["GET", "POST"])
def congress_credentials(request, congress_id: int):
    """GET: delegates with their credentials and the report. POST `action`: decide (one delegate),
    accept_pending (every delegate not examined yet), issue_number (the report's CON-10 number: an
    explicit, audited act — never a side effect of downloading it)."""
    congress = managed_congress(request, congress_id)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "decide":
                form = CredentialForm(request.POST)
                if not form.is_valid():
                    raise InvalidInput(" ".join(e for errs in form.errors.values() for e in errs), field="ground")
                c = form.cleaned_data
                delegate = selectors.delegate_get(congress, c["delegate"])
                services.credential_decide(actor=request.user, congress=congress, delegate=delegate,
                                           accept=c["decision"] == "accept", ground=c["ground"], note=c["note"])
                messages.success(request, f"Đã ghi kết luận thẩm tra: {delegate.member.full_name}.")
            elif action == "issue_number":
                doc = services.document_issue(actor=request.user, congress=congress, kind=REPORT_KIND,
                                              title=REPORT_TITLE, ref=report_ref(congress))
                messages.success(request, f"Báo cáo thẩm tra tư cách đại biểu mang số {doc.label}-BC/ĐH "
                                          f"(ngày {timezone.localtime(doc.issued_at):%d/%m/%Y}).")
            elif action == "accept_pending":
                n = services.credentials_accept_pending(actor=request.user, congress=congress)
                messages.success(request, f"Đã công nhận tư cách {n} đại biểu chưa thẩm tra.")
            else:
                raise InvalidInput("Thao tác không hợp lệ.", field="action")
        except InvalidInput as exc:
            error = exc.message
        else:
            return redirect("congress_credentials", congress_id=congress.id)
    report = selectors.credentials_report(congress)
    return render(request, "congress/credentials.html", {
        **report, "delegates": selectors.delegates_of(congress).select_related("credential_by"),
        "error": error, "ground_choices": list(rules.REFUSAL_GROUNDS.items()),
        "committee": next(b for b in selectors.bodies_of(congress) if b.kind == "credentials"),
        "report_doc": report_number(congress),
    }, status=422 if error else 200)


@login_required
@require_http_methods(["GET"])
def congress_credentials_docx(request, congress_id: int):
    """The credentials report as a Word document. A GET only reads: with the number issued on the
    credentials page («Cấp số văn bản», a POST) it carries it; before that it is the draft, marked
    «DỰ THẢO — chưa cấp số» (a draft is what the committee reads and corrects; a number taken on a
    download would use up the congress's one series, CON-10, for every look)."""
    congress = managed_congress(request, congress_id)
    doc = report_number(congress)
    data = credentials_report_docx(selectors.credentials_report(congress), number_label=doc.label if doc else None)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument."
                                                "wordprocessingml.document")
    name = f"bao-cao-tham-tra-tu-cach-{congress.pk}" + ("" if doc else "-du-thao")
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response
