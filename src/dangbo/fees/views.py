"""Party fee pages: collection rates per organisation (dashboard with a chart), a cell's monthly
ledger where the secretary records the month's collection, a member's fee page (declaration,
exemptions and reductions, history — the member's own on their phone), receipts and the year's
settlement in Excel and Word."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dangbo.accounts.selectors import require_manage, scope_of
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.fees import documents, rules, selectors, services
from dangbo.fees.forms import DeclarationForm, ReliefForm, RemittanceForm, parse_money, parse_month
from dangbo.fees.models import CASH, EXCUSED, METHOD_CHOICES, ONLINE, month_label
from dangbo.orgs.rules import KIND_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _month_arg(request, name="thang") -> int:
    return parse_month(request.GET.get(name, "")) or selectors.this_month()


def _year_arg(request) -> int:
    text = request.GET.get("nam", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else date.today().year


def amounts_shown(user, member_id: int | None = None) -> bool:
    """Who sees a member's fee amounts outside the act of collecting them: the member themself and the
    office (Văn phòng Đảng ủy). Under 01-QĐ/TW a due is 1 % of the declared salary, so a due, a paid
    amount or an advance beside the member's category gives the masked base away; a secretary sees
    the due only where collecting it (the ledger's rows still to collect, the arrears to collect, the
    receipt handed over) — never the member's month-by-month history nor what was already paid."""
    scope = scope_of(user)
    return scope.is_office or (member_id is not None and scope.member_id == member_id)


def masked_amount(value) -> str:
    """A declared salary or pension shown to someone other than the member or the office: the
    thousands only, like «•••.000 đ» — enough to see it is filled in, not what it is."""
    return "" if value is None else "•••.•••"


@login_required
def fee_home(request):
    """Staff: collection rates of the organisations under the one chosen (default: the top of the
    scope) for a month or the year so far, with a bar chart. A member: their own fee page."""
    scope = scope_of(request.user)
    if not scope.sees_tree:
        if scope.member_id:
            return redirect("fees_member", fee_member_id=scope.member_id)
        raise PermissionDenied("Bạn không có quyền xem trang này.")
    month = _month_arg(request)
    year = rules.month_of_index(month)[0]
    whole_year = request.GET.get("ca-nam") == "1"
    first = rules.month_index(year, 1) if whole_year else month
    if request.GET.get("org", "").isdigit():
        org = selectors.fee_org_get(user=request.user, org_id=int(request.GET["org"]))
    else:
        org = selectors.scope_top(user=request.user)
    top = selectors.collection_rates(user=request.user, first=first, last=month, orgs=[org])
    children = org.children.filter(valid_to__isnull=True).order_by("name")
    rows = selectors.collection_rates(user=request.user, first=first, last=month, orgs=children)
    ctx = {"month": month, "month_label": month_label(month), "year": year, "whole_year": whole_year,
           "rows": rows, "top": top[0], "org": org, "chart": _chart(rows), "kinds": KIND_LABELS,
           "regime": rules.regime_for_month(*rules.month_of_index(month))}
    return render(request, "fees/home.html", ctx)


def _chart(rows: list[dict]) -> dict:
    """A horizontal bar per organisation: the share paid. HTML bars (`fees/fees.css`), no script and
    no SVG: the labels are page text, readable at the page's size on a 390 px phone."""
    bars = []
    for r in rows:
        rate = r["rate"] or 0
        bars.append({"name": r["org"].name, "rate": r["rate"], "pct": round(min(max(rate, 0), 100), 1),
                     "colour": "#1b7a3a" if rate >= 90 else "#b26a00" if rate >= 70 else "#b3261e"})
    return {"bars": bars}


@login_required
def ledger(request, fee_org_id: int):
    """The organisation's ledger for a month; POST records the ticked rows (one transaction)."""
    org = selectors.fee_org_get(user=request.user, org_id=fee_org_id)
    month = parse_month(request.POST.get("thang", "")) if request.method == "POST" else None
    month = month or _month_arg(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        require_manage(request.user, org.path)
        book = selectors.ledger(user=request.user, org=org, month=month)
        rows = []
        for r in book.rows:
            method = request.POST.get(f"cach_{r.member.id}", "")
            if not method or r.payment:
                continue
            amount_text = request.POST.get(f"tien_{r.member.id}", "").strip()
            amount = parse_money(amount_text) if amount_text else None
            if amount_text and amount is None:
                errors[f"m{r.member.id}"] = f"{r.member.full_name}: «{amount_text}» không phải số đồng."
                continue
            rows.append((r.member, method, amount, request.POST.get(f"ma_{r.member.id}", "")))
        if not rows and not errors:
            errors["none"] = "Chưa chọn đảng viên nào để ghi."
        if not errors:
            try:
                done = services.collection_record(actor=request.user, org=org, month=month, rows=rows)
            except InvalidInput as exc:
                errors = exc.errors or {"none": exc.message}
            else:
                messages.success(request, f"Đã ghi đảng phí tháng {month_label(month)} của {len(done)} đảng viên.")
                page_no = request.POST.get("trang", "")
                more = f"&trang={page_no}" if page_no.isdigit() else ""
                return redirect(f"{request.path}?thang={month_label(month)}{more}")
    book = selectors.ledger(user=request.user, org=org, month=month)
    y = rules.month_of_index(month)[0]
    page = Paginator(book.rows, 50).get_page(request.GET.get("trang"))
    ctx = {"org": org, "book": book, "page": page, "month": month, "month_label": month_label(month),
           "prev": month_label(month - 1), "next": month_label(month + 1), "errors": errors, "posted": request.POST,
           "can_manage": selectors.can_manage(request.user, org.path), "methods": METHOD_CHOICES,
           "amounts_full": amounts_shown(request.user),
           "CASH": CASH, "ONLINE": ONLINE, "EXCUSED": EXCUSED, "year": y,
           "regime": rules.regime_for_month(*rules.month_of_index(month)),
           "shares": selectors.remittances(org=org, first=month, last=month)}
    return render(request, "fees/ledger.html", ctx, status=422 if errors else 200)


@login_required
def member_fees(request, fee_member_id: int):
    """A member's fee page: what they declared, reliefs, the year's months. The member themself and
    the office see the declared amount; a secretary sees it masked and may type a new one."""
    member = selectors.fee_member_get(user=request.user, member_id=fee_member_id)
    scope = scope_of(request.user)
    own = scope.member_id == member.id
    manage = scope.covers_path(member.org_path)
    year = _year_arg(request)
    decl_form = relief_form = None
    if manage or own:
        decl_form = DeclarationForm(request.POST if request.POST.get("form") == "khai" else None,
                                    initial={"from_month": month_label(selectors.this_month())})
    if manage:
        relief_form = ReliefForm(request.POST if request.POST.get("form") == "mien" else None)
    if request.method == "POST":
        form = {"khai": decl_form, "mien": relief_form}.get(request.POST.get("form"))
        if form is None:
            raise PermissionDenied("Bạn không có quyền thay đổi đảng phí của đảng viên này.")
        if form.is_valid():
            c = form.cleaned_data
            try:
                if form is decl_form:
                    services.declaration_set(actor=request.user, member=member, category=c["category"],
                                             base=c["base"], from_month=c["from_month"])
                    messages.success(request, "Đã ghi kê khai đảng phí.")
                else:
                    services.relief_record(actor=request.user, member=member, kind=c["kind"], pct=c["pct"] or 0,
                                           start_month=c["start_month"], end_month=c["end_month"],
                                           decision=c["decision"])
                    messages.success(request, "Đã ghi quyết định miễn, giảm đảng phí.")
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                return redirect("fees_member", fee_member_id=member.id)
    decl = selectors.declaration_current(member)
    history = selectors.member_history(member=member, year=year)
    full = amounts_shown(request.user, member.id)
    ctx = {"m": member, "own": own, "manage": manage, "year": year, "decl": decl,
           "base_shown": (decl.base if full else masked_amount(decl.base)) if decl else None, "base_full": full,
           "history": history, "reliefs": selectors.reliefs_of(member),
           "paid_any": any(h["payment"] and h["payment"].method != EXCUSED for h in history),
           "decl_form": decl_form, "relief_form": relief_form, "labels": rules.CATEGORY_LABELS}
    bad = any(f is not None and f.is_bound and f.errors for f in (decl_form, relief_form))
    return render(request, "fees/member.html", ctx, status=422 if bad else 200)


@login_required
@require_GET
def receipt(request, fee_payment_id: int):
    payment = selectors.payment_get(user=request.user, payment_id=fee_payment_id)
    return render(request, "fees/receipt.html", {"p": payment, "month_label": month_label(payment.month)})


@login_required
@require_GET
def receipt_docx(request, fee_payment_id: int):
    """One payment's receipt as Word (the member's own, or staff over the member's cell)."""
    payment = selectors.payment_get(user=request.user, payment_id=fee_payment_id)
    if payment.method == EXCUSED:
        raise Http404("Tháng có lý do chính đáng không có biên lai.")
    return _docx(documents.receipt_docx(payment.member, [payment]), f"bien-lai-{month_label(payment.month)}")


@login_required
@require_GET
def member_receipt_docx(request, fee_member_id: int):
    """One receipt for a member's months «tu»..«den» (mm/yyyy; default the chosen year): for the member
    and the office only — a year of amounts gives the masked base away (`amounts_shown`); a secretary
    prints the receipt of each payment they collect."""
    member = selectors.fee_member_get(user=request.user, member_id=fee_member_id)
    if not amounts_shown(request.user, member.id):
        raise PermissionDenied("Biên lai nhiều tháng chỉ đảng viên và Văn phòng Đảng ủy tải được.")
    year = _year_arg(request)
    first = parse_month(request.GET.get("tu", "")) or rules.month_index(year, 1)
    last = parse_month(request.GET.get("den", "")) or rules.month_index(year, 12)
    if last < first or last - first > 119:
        raise Http404("Khoảng tháng không hợp lệ.")
    payments = selectors.receipt_payments(member=member, first=first, last=last)
    if not payments:
        raise Http404("Không có khoản đã nộp nào trong các tháng này.")
    return _docx(documents.receipt_docx(member, payments),
                 f"bien-lai-{month_label(first)}-{month_label(last)}")


def _docx(body: bytes, name: str) -> HttpResponse:
    r = HttpResponse(body, content_type=DOCX)
    r["Content-Disposition"] = f'attachment; filename="{name.replace("/", "-")}.docx"'
    return r


@login_required
@require_POST
def payment_cancel(request, fee_payment_id: int):
    payment = selectors.payment_get(user=request.user, payment_id=fee_payment_id)
    require_manage(request.user, payment.org_path)
    label = month_label(payment.month)
    org_id = payment.organization_id
    services.payment_cancel(actor=request.user, payment=payment)
    messages.success(request, f"Đã huỷ ghi đảng phí tháng {label} của {payment.member.full_name}.")
    return redirect(f"/dang-phi/so/{org_id}/?thang={label}")


@login_required
@require_GET
def settlement_page(request, fee_org_id: int):
    org = selectors.fee_org_get(user=request.user, org_id=fee_org_id)
    year = _year_arg(request)
    rows = selectors.settlement(org=org, year=year)
    per_org = documents.per_org(rows) if rows else []
    return render(request, "fees/settlement.html", {"org": org, "year": year, "per_org": per_org,
                                                    "totals": documents.totals(per_org) if per_org else None})


@login_required
@require_GET
def settlement_xlsx(request, fee_org_id: int):
    org = selectors.fee_org_get(user=request.user, org_id=fee_org_id)
    year = _year_arg(request)
    body = documents.settlement_xlsx(org, year, selectors.settlement(org=org, year=year))
    r = HttpResponse(body, content_type=XLSX)
    r["Content-Disposition"] = f'attachment; filename="quyet-toan-dang-phi-{year}.xlsx"'
    return r


@login_required
@require_GET
def settlement_docx(request, fee_org_id: int):
    org = selectors.fee_org_get(user=request.user, org_id=fee_org_id)
    year = _year_arg(request)
    body = documents.settlement_docx(org, year, selectors.settlement(org=org, year=year))
    r = HttpResponse(body, content_type=DOCX)
    r["Content-Disposition"] = f'attachment; filename="quyet-toan-dang-phi-{year}.docx"'
    return r


@login_required
def remittance_page(request, fee_org_id: int):
    """The organisation's remittances up the tree for a year: month by month what its ledger says it
    owes the level above, the transfers recorded, what is outstanding; POST records a transfer."""
    org = selectors.fee_org_get(user=request.user, org_id=fee_org_id)
    year = _year_arg(request)
    manage = selectors.can_manage(request.user, org.path)
    form = RemittanceForm(request.POST or None, initial={"period": month_label(selectors.this_month() - 1)})
    if request.method == "POST":
        require_manage(request.user, org.path)
        if form.is_valid():
            c = form.cleaned_data
            try:
                t = services.remittance_record(actor=request.user, org=org, period=c["period"], amount=c["amount"],
                                               transferred_on=c["transferred_on"], reference=c["reference"])
            except InvalidInput as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"Đã ghi nộp đảng phí tháng {month_label(t.period)} lên cấp trên.")
                return redirect(f"{request.path}?nam={rules.month_of_index(t.period)[0]}")
    book = selectors.remittance_book(org=org, year=year)
    totals = {k: sum(r[k] for r in book) for k in ("collected", "owed", "sent", "outstanding", "over")}
    ctx = {"org": org, "year": year, "book": book, "totals": totals, "form": form if manage else None}
    return render(request, "fees/remittances.html", ctx, status=422 if form.is_bound and form.errors else 200)
