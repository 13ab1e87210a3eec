"""Writes of the party fees. Each validates, writes and records an audit event in one transaction.

Permission checks (who may call what) live in the views, through `accounts.selectors.require_manage`
on the member's organisation; the services check the data. The declared base is a salary or a
pension: the audit log keeps that it changed and the category, never the amount.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.textcheck import clean_text
from dangbo.fees import rules
from dangbo.fees.models import CASH, EXCUSED, ONLINE, Declaration, Payment, Relief, Remittance, month_label
from dangbo.fees.selectors import dues, rule_settings
from dangbo.members.models import Member
from dangbo.members.rules import COUNTED_STATES

#: shown instead of a declared amount in the audit log (the amount is a salary or pension)
AMOUNT_MASK = "•••"
METHODS = (CASH, ONLINE, EXCUSED)


def _invalid(errors: dict[str, str]) -> InvalidInput:
    """One InvalidInput carrying every problem, each by its field."""
    return InvalidInput(" ".join(errors.values()), field=next(iter(errors)), errors=errors)


def _month(value, field: str, label: str) -> int:
    if isinstance(value, int):
        return value
    try:
        return rules.month_index(*rules.parse_month(value))
    except ValueError:
        raise _invalid({field: f"{label}: «{value}» không phải tháng hợp lệ (tháng/năm)."}) from None


def _masked(decl: Declaration | None) -> dict:
    if decl is None:
        return {}
    return {"category": decl.category, "base": AMOUNT_MASK if decl.base is not None else "",
            "from_month": month_label(decl.from_month)}


@transaction.atomic
def declaration_set(*, actor, member: Member, category: str, base: int | None, from_month) -> Declaration:
    """Record what the member declared from a month on (FEE-1: members report their income
    truthfully; FEE-2 / FEE-8 categories). A second declaration for the same month replaces it."""
    month = _month(from_month, "from_month", "Áp dụng từ tháng")
    if category not in rules.BASED:
        base = None
    try:
        rules.Declaration(category=category, base=base)
    except ValueError as e:
        field = "category" if category not in rules.CATEGORIES else "base"
        raise _invalid({field: str(e)}) from None
    before = Declaration.objects.filter(member=member, from_month__lte=month).order_by("-from_month").first()
    decl, _created = Declaration.objects.update_or_create(
        member=member, from_month=month,
        defaults={"category": category, "base": base, "org_path": member.org_path})
    audit_record(actor=actor, action="fees.declaration_set", obj=decl, org_path=member.org_path,
                 before=_masked(before), after=_masked(decl), label=str(decl)[:255])
    return decl


@transaction.atomic
def relief_record(*, actor, member: Member, kind: str, pct: int, start_month, end_month, decision: str) -> Relief:
    """An exemption or reduction decided on application (FEE-4): at most 12 months per decision, a
    reduction of 30, 50 or 70 %; the decision (number-symbol and date) is required."""
    errors = {}
    start = _month(start_month, "start_month", "Từ tháng")
    end = _month(end_month, "end_month", "Đến tháng")
    if kind not in ("social_pension", "hardship", "reduction"):
        errors["kind"] = "Chọn miễn hoặc giảm đảng phí."
    if kind == "reduction" and pct not in (30, 50, 70):
        errors["pct"] = "Mức giảm là 30 %, 50 % hoặc 70 %."
    if kind != "reduction":
        pct = 0
    problem = rules.reduction_problem(rules.month_of_index(start), rules.month_of_index(end), settings=rule_settings())
    if problem:
        errors["end_month"] = problem
    try:
        decision = clean_text(decision, field="decision", label="Quyết định", max_length=120)
    except InvalidInput as e:
        errors.update(e.errors or {"decision": e.message})
    if not decision and "decision" not in errors:
        errors["decision"] = "Ghi số, ký hiệu và ngày của quyết định miễn, giảm."
    if errors:
        raise _invalid(errors)
    if Relief.objects.filter(member=member, start_month__lte=end, end_month__gte=start).exists():
        raise _invalid({"start_month": "Đảng viên đã có quyết định miễn, giảm trùng thời gian này."})
    relief = Relief.objects.create(member=member, org_path=member.org_path, kind=kind, pct=pct,
                                   start_month=start, end_month=end, decision=decision)
    audit_record(actor=actor, action="fees.relief_record", obj=relief, org_path=member.org_path,
                 after={"kind": kind, "pct": pct, "start_month": month_label(start), "end_month": month_label(end),
                        "decision": decision})
    return relief


def _next_receipt(org_id: int, year: int) -> int:
    first, last = rules.month_index(year, 1), rules.month_index(year, 12)
    top = Payment.objects.filter(organization_id=org_id, month__gte=first, month__lte=last).aggregate(
        n=Max("receipt_no"))["n"]
    return (top or 0) + 1


@transaction.atomic
def payment_record(*, actor, member: Member, month, method: str, amount: int | None = None,
                   reference: str = "", paid_on: date | None = None) -> Payment:
    """One member's fee for one month: cash collected by the cell, paid online (the portal's
    reference, FEE-10), or excused with the cell's reason. The amount defaults to what is due
    (FEE-1: paying more is allowed; less is refused — arrears stay arrears). A month is recorded once."""
    return _payments(actor=actor, rows=[(member, _month(month, "month", "Tháng"), method, amount, reference)],
                     paid_on=paid_on)[0]


@transaction.atomic
def collection_record(*, actor, org, month, rows: list[tuple[Member, str, int | None, str]],
                      paid_on: date | None = None) -> list[Payment]:
    """The month's collection of a cell in one go: [(member, method, amount or None, reference)]. All
    or nothing; every problem reported at once (by member)."""
    m = _month(month, "month", "Tháng")
    for member, *_ in rows:
        if not member.org_path.startswith(org.path):
            raise _invalid({"member": f"{member.full_name} không thuộc {org.name}."})
    return _payments(actor=actor, rows=[(mem, m, method, amount, ref) for mem, method, amount, ref in rows],
                     paid_on=paid_on)


def _payments(*, actor, rows, paid_on) -> list[Payment]:
    paid_on = paid_on or date.today()
    errors: dict[str, str] = {}
    checked = []
    by_member = {}
    for member, month, *_rest in rows:
        by_member.setdefault(month, []).append(member)
    owed: dict[int, dict] = {}
    for month, members in by_member.items():
        owed.update({(mid, month): d[month] for mid, d in dues(members, month, month).items() if month in d})
    for member, month, method, amount, reference in rows:
        key = f"m{member.id}"
        who = member.full_name
        if member.state not in COUNTED_STATES:
            errors[key] = f"{who}: không còn là đảng viên của chi bộ."
            continue
        due = owed.get((member.id, month))
        if due is None:
            errors[key] = f"{who}: tháng {month_label(month)} trước ngày vào Đảng."
            continue
        if method not in METHODS:
            errors[key] = f"{who}: chọn hình thức nộp (tiền mặt, trực tuyến hoặc có lý do)."
            continue
        try:
            reference = clean_text(reference or "", field=key, label="Mã giao dịch / lý do", max_length=120)
        except InvalidInput as e:
            errors[key] = f"{who}: {e.message}"
            continue
        if method == ONLINE and not reference:
            errors[key] = f"{who}: nộp trực tuyến cần mã giao dịch trên Cổng dịch vụ công."
            continue
        if method == EXCUSED:
            if not reference:
                errors[key] = f"{who}: ghi lý do chính đáng không nộp."
                continue
            amount = 0
        elif amount is None:
            if due.due is None:
                errors[key] = f"{who}: chưa kê khai căn cứ đóng đảng phí; ghi số tiền đã nộp."
                continue
            amount = due.due
        elif amount < (due.due or 0):
            errors[key] = f"{who}: nộp {amount:,} đ ít hơn số phải đóng {due.due:,} đ.".replace(",", ".")
            continue
        elif amount > 100_000_000:
            errors[key] = f"{who}: số tiền quá lớn."
            continue
        if Payment.objects.filter(member=member, month=month).exists():
            errors[key] = f"{who}: đã ghi đảng phí tháng {month_label(month)}."
            continue
        checked.append((member, month, method, amount, reference, due.due or 0))
    if errors:
        raise _invalid(errors)
    out = []
    for member, month, method, amount, reference, due in checked:
        year = rules.month_of_index(month)[0]
        receipt = 0 if method == EXCUSED else _next_receipt(member.organization_id, year)
        try:
            with transaction.atomic():
                p = Payment.objects.create(member=member, organization_id=member.organization_id,
                                           org_path=member.org_path, month=month, due=due, amount=amount,
                                           method=method, reference=reference, paid_on=paid_on, receipt_no=receipt,
                                           recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        except IntegrityError:
            raise _invalid({f"m{member.id}": f"{member.full_name}: đã ghi đảng phí tháng {month_label(month)}."}) \
                from None
        audit_record(actor=actor, action="fees.payment_record", obj=p, org_path=member.org_path,
                     after={"month": month_label(month), "method": method, "amount": amount, "reference": reference})
        out.append(p)
    return out


@transaction.atomic
def payment_cancel(*, actor, payment: Payment) -> None:
    """Remove a payment recorded by mistake (the audit keeps what it was)."""
    audit_record(actor=actor, action="fees.payment_cancel", obj=payment, org_path=payment.org_path,
                 before={"month": month_label(payment.month), "method": payment.method, "amount": payment.amount,
                         "reference": payment.reference})
    payment.delete()


@transaction.atomic
def remittance_record(*, actor, org, period, amount, transferred_on, reference: str,
                      today: date | None = None) -> Remittance:
    """A transfer of fees from `org` to the organisation above it (FEE-6) for one month's collection:
    the amount, the date (not in the future), the reference of the bank transfer or the receipt the
    upper level gave. Several transfers for one month add up (`selectors.remittance_book` shows what
    is still outstanding). Every problem reported at once."""
    errors: dict[str, str] = {}
    try:
        month = _month(period, "period", "Đảng phí tháng")
    except InvalidInput as e:
        errors.update(e.errors or {"period": e.message})
        month = None
    if not isinstance(amount, int) or amount <= 0:
        errors["amount"] = "Số tiền: ghi số đồng đã nộp lên, lớn hơn 0."
    elif amount > 100_000_000_000:
        errors["amount"] = "Số tiền quá lớn."
    today = today or date.today()
    if not isinstance(transferred_on, date):
        errors["transferred_on"] = "Ngày nộp: ghi ngày/tháng/năm."
    elif transferred_on > today:
        errors["transferred_on"] = "Ngày nộp không được sau hôm nay."
    try:
        reference = clean_text(reference or "", field="reference", label="Số chứng từ", max_length=120)
    except InvalidInput as e:
        errors.update(e.errors or {"reference": e.message})
    else:
        if not reference:
            errors["reference"] = "Số chứng từ: ghi mã chuyển khoản hoặc số phiếu thu của cấp trên."
    if errors:
        raise _invalid(errors)
    t = Remittance.objects.create(from_org=org, to_org=org.parent, org_path=org.path, period=month, amount=amount,
                                  transferred_on=transferred_on, reference=reference,
                                  recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="fees.remittance_record", obj=t, org_path=org.path,
                 after={"period": month_label(month), "amount": amount, "transferred_on": transferred_on.isoformat(),
                        "to": org.parent.name if org.parent else "", "reference": reference})
    return t


#: columns of `demo_load`'s payment tuples, in order
PAYMENT_COLUMNS = ("member_id", "organization_id", "org_path", "month", "due", "amount", "method", "reference",
                   "paid_on", "receipt_no")


@transaction.atomic
def demo_load(*, root, declarations: list, reliefs: list, payments: list[tuple]) -> None:
    """The demo's fee rows in bulk (built by `fees.demo` with the pure rules), one audit event.
    Payments come as tuples (`PAYMENT_COLUMNS`) and go in with one executemany: model instances and
    bulk_create's SQL compiler cost more than the insert itself at tens of thousands of rows."""
    from django.db import connection
    from django.utils import timezone

    Declaration.objects.bulk_create(declarations, batch_size=2000)
    Relief.objects.bulk_create(reliefs, batch_size=2000)
    qn = connection.ops.quote_name
    cols = (*PAYMENT_COLUMNS, "created_at")
    sql = (f"INSERT INTO {qn(Payment._meta.db_table)} ({', '.join(qn(c) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    day = connection.ops.adapt_datefield_value
    rows = [(*p[:8], day(p[8]), p[9], now) for p in payments]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i:i + 5000])
    audit_record(actor=None, action="fees.demo_load", obj=root, org_path=root.path,
                 after={"count": len(payments)}, label=f"Đảng phí mẫu của {root.name}")
