"""Pages of the documents register: the register with its search (office staff and secretaries in
their scope), a new incoming document and an outgoing number (office staff), a document's page with
where it is cited, its file, and the Excel export."""

import mimetypes
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangbo.accounts.selectors import require_manage, require_office, scope_of
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.documents import selectors, services
from dangbo.documents.export import MAX_ROWS, register_xlsx
from dangbo.documents.forms import IncomingForm, OutgoingForm, SearchForm
from dangbo.orgs.selectors import org_get
from dangbo.web.access import staff_page

DENIED = "Sổ văn bản dành cho cán bộ Văn phòng và bí thư các tổ chức đảng."


def _filters(request):
    form = SearchForm(request.GET or None)
    q = direction = ""
    if form.is_valid():
        q, direction = form.cleaned_data["q"], form.cleaned_data["chieu"]
    org = None
    if request.GET.get("org", "").isdigit():
        org = org_get(user=request.user, org_id=int(request.GET["org"]))
    return form, q, direction, org


@login_required
@require_GET
def register(request):
    form, q, direction, org = _filters(request)
    qs = selectors.document_list(user=request.user, q=q, direction=direction, org=org)
    page = selectors.document_page(qs, request.GET.get("page"))
    ctx = {"form": form, "page": page, "org": org, "q": q, "is_office": scope_of(request.user).is_office}
    template = "documents/_results.html" if request.htmx else "documents/register.html"
    return render(request, template, ctx)


def _write(request, form_class, *, title: str, template: str, submit, done: str):
    require_office(request.user)
    holders = selectors.holders(user=request.user)
    form = form_class(request.POST or None, request.FILES or None, holders=holders)
    if request.method == "POST":
        valid = form.is_valid()
        c = getattr(form, "cleaned_data", {})  # an empty POST: the blank form again
        holder = c.get("holder")
        if holder is not None:  # the service's own checks too, all at once (check_only: nothing written)
            require_manage(request.user, holder.path)
            try:
                doc = submit(c, check_only=not valid)
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                if valid:
                    messages.success(request, done.format(doc.number_symbol, doc.arrival_number))
                    return redirect("document_detail", document_id=doc.id)
    ctx = {"form": form, "title": title, "series": selectors.series_last(user=request.user)}
    return render(request, template, ctx, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def incoming_new(request):
    def submit(c, check_only):
        return services.document_register(
            actor=request.user, holder=c["holder"], number_symbol=c.get("number_symbol", ""), day=c.get("date"),
            received_on=c.get("received_on"), sender=c.get("sender", ""), signer=c.get("signer", ""),
            subject=c.get("subject", ""), recipients=c.get("recipients", ""),
            recipient_orgs=c.get("recipient_orgs") or (), upload=c.get("file"), check_only=check_only)

    return _write(request, IncomingForm, title="Vào sổ văn bản đến", template="documents/incoming.html",
                  submit=submit, done="Đã vào sổ văn bản đến {}, số đến {}.")


@login_required
@require_http_methods(["GET", "POST"])
def outgoing_issue(request):
    def submit(c, check_only):
        return services.document_issue(
            actor=request.user, holder=c["holder"], doc_type=c.get("doc_type", ""), issuer=c.get("issuer", ""),
            day=c.get("date"), signer=c.get("signer", ""), subject=c.get("subject", ""),
            recipients=c.get("recipients", ""), recipient_orgs=c.get("recipient_orgs") or (), upload=c.get("file"),
            check_only=check_only)

    return _write(request, OutgoingForm, title="Cấp số văn bản đi", template="documents/outgoing.html",
                  submit=submit, done="Đã cấp số {} và vào sổ văn bản đi.")


@login_required
@require_GET
def document_detail(request, document_id: int):
    doc = selectors.document_get(user=request.user, document_id=document_id)
    scope = scope_of(request.user)
    cited = [c for c in selectors.citations_of(doc) if not c["path"] or scope.covers_path(c["path"])]
    return render(request, "documents/detail.html", {"d": doc, "cited": cited})


@login_required
@require_GET
def document_file(request, document_id: int):
    """The attached file, only to users who may open the document (owner-only storage, never a
    static URL)."""
    doc = selectors.document_get(user=request.user, document_id=document_id)
    path = services.file_path(doc)
    if path is None or not path.is_file():
        raise Http404("Văn bản này không có tệp đính kèm.")
    kind = mimetypes.guess_type(doc.file_name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=doc.file_name, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def register_export(request):
    _form, q, direction, org = _filters(request)
    qs = selectors.document_list(user=request.user, q=q, direction=direction, org=org)
    if not scope_of(request.user).sees_tree:
        raise PermissionDenied(DENIED)
    holder = org or selectors.scope_root(user=request.user)
    data = register_xlsx(qs[:MAX_ROWS], title=f"SỔ VĂN BẢN — {holder.name.upper()}" if holder else "SỔ VĂN BẢN",
                         today=date.today(), recipients=selectors.recipient_names(qs))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="so-van-ban.xlsx"'
    return response


register = staff_page(register, message=DENIED)
incoming_new = staff_page(incoming_new, message=DENIED)
outgoing_issue = staff_page(outgoing_issue, message=DENIED)
document_detail = staff_page(document_detail, message=DENIED)
document_file = staff_page(document_file, message=DENIED)
register_export = staff_page(register_export, message=DENIED)
