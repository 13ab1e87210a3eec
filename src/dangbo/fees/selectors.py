"""Reads of the party fees, scoped like the rest (accounts.selectors): office staff and secretaries
read their subtree's members and ledgers; a member reads only their own declaration and history.

The amounts owed are never stored ahead: `dues` computes them from the declarations and reliefs in
force each month with the pure rules (`fees.rules.monthly_due`); a payment keeps the amount it was
recorded against (`Payment.due`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.db.models import Count, Q, Sum
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.core.rulesettings import configured
from dangbo.fees import rules
from dangbo.fees.models import EXCUSED, ONLINE, Declaration, Payment, Relief, Remittance, month_label
from dangbo.members.models import Member
from dangbo.members.rules import COUNTED_STATES
from dangbo.orgs.models import Organization


def rule_settings() -> rules.FeeRuleSettings:
    return configured(rules.FeeRuleSettings)


def this_month(today: date | None = None) -> int:
    today = today or date.today()
    return rules.month_index(today.year, today.month)


# -- scope -----------------------------------------------------------------------------------------


def fee_member_get(*, user, member_id: int) -> Member:
    """A member whose fees the user may read: staff over their organisation, or the member themself."""
    scope = scope_of(user)
    qs = Member.objects.select_related("organization")
    if scope.sees_tree:
        qs = qs.filter(org_path__startswith=scope.org_path)
    elif scope.member_id:
        qs = qs.filter(pk=scope.member_id)
    else:
        qs = qs.none()
    member = qs.filter(pk=member_id).first()
    if member is None:
        raise Http404("Không tìm thấy đảng viên.")
    return member


def fee_org_get(*, user, org_id: int) -> Organization:
    scope = scope_of(user)
    org = (Organization.objects.filter(pk=org_id, path__startswith=scope.org_path).first()
           if scope.sees_tree else None)
    if org is None:
        raise Http404("Không tìm thấy tổ chức đảng.")
    return org


def payment_get(*, user, payment_id: int) -> Payment:
    scope = scope_of(user)
    qs = Payment.objects.select_related("member", "organization")
    if scope.sees_tree:
        qs = qs.filter(org_path__startswith=scope.org_path)
    elif scope.member_id:
        qs = qs.filter(member_id=scope.member_id)
    else:
        qs = qs.none()
    payment = qs.filter(pk=payment_id).first()
    if payment is None:
        raise Http404("Không tìm thấy biên lai.")
    return payment


def can_manage(user, org_path: str) -> bool:
    return scope_of(user).covers_path(org_path)


# -- amounts owed ----------------------------------------------------------------------------------


@dataclass
class MonthDue:
    due: int | None  # None: nothing declared for the month yet
    regime: str
    reasons: tuple[str, ...] = ()
    exempt_reason: str | None = None
    relief: str = ""


class Amounts:
    """`rules.monthly_due` memoised on what decides it (category, base, reduction, exemption, regime):
    a year of a million members has few distinct combinations, so the settlement computes each once."""

    def __init__(self, settings: rules.FeeRuleSettings):
        self.settings = settings
        self.cache: dict[tuple, rules.Due] = {}
        self.formulas: dict[tuple, tuple[int, int, int]] = {}
        self.regimes = {}

    def regime(self, i: int) -> str:
        r = self.regimes.get(i)
        if r is None:
            r = self.regimes[i] = rules.regime_for_month(*rules.month_of_index(i), settings=self.settings)
        return r

    def due(self, category, base, pct, exempt, aged: bool, i: int) -> rules.Due:
        key = (category, base, pct, "party_age" if aged else exempt, self.regime(i))
        d = self.cache.get(key)
        if d is None:
            y, m = rules.month_of_index(i)
            # a party-age exemption stands for the decision date (the age is checked by the caller)
            decision = date(y - self.settings.exempt_party_age_years - 1, 1, 1) if aged else None
            d = self.cache[key] = rules.monthly_due(rules.Declaration(
                category=category, base=base, decision_date=decision, reduction_pct=pct, exempt=exempt), y, m,
                settings=self.settings)
        return d


    def amount(self, category, base, pct, exempt, aged: bool, i: int) -> int:
        """Only the amount (`rules.due_formula`): cached without the base, for the settlement's sums."""
        key = (category, pct, aged or exempt != "none", self.regime(i))
        f = self.formulas.get(key)
        if f is None:
            f = self.formulas[key] = rules.due_formula(category, key[3], pct, key[2], settings=self.settings)
        return rules.apply_formula(base, f, settings=self.settings)


def _member_months(member_rows, first: int, last: int, amounts: Amounts):
    """For each (member id, org id, admission date, [declarations newest first], [reliefs]) yield
    (member id, org id, month, Due or None) over the months the member was in the Party."""
    s = amounts.settings
    for mid, oid, admitted, decls, reliefs in member_rows:
        start = first
        if admitted:
            start = max(first, rules.month_index(admitted.year, admitted.month))
        aged_from = rules.party_age_exempt_from(admitted, settings=s)
        for i in range(start, last + 1):
            decl = next((d for d in decls if d[0] <= i), None)
            if decl is None:
                yield mid, oid, i, None, None
                continue
            relief = next((r for r in reliefs if r[1] <= i <= r[2]), None)
            exempt = relief[0] if relief and relief[0] != "reduction" else "none"
            pct = relief[3] if relief and relief[0] == "reduction" else 0
            aged = aged_from is not None and i >= aged_from
            yield mid, oid, i, amounts.due(decl[1], decl[2], pct, exempt, aged, i), relief


def _declarations(ids, first: int, last: int):
    decls: dict[int, list] = defaultdict(list)
    for mid, month, category, base in Declaration.objects.filter(member_id__in=ids, from_month__lte=last).order_by(
            "member_id", "-from_month").values_list("member_id", "from_month", "category", "base"):
        decls[mid].append((month, category, base))
    reliefs: dict[int, list] = defaultdict(list)
    for mid, kind, start, end, pct, decision in Relief.objects.filter(
            member_id__in=ids, start_month__lte=last, end_month__gte=first).values_list(
            "member_id", "kind", "start_month", "end_month", "pct", "decision"):
        reliefs[mid].append((kind, start, end, pct, decision))
    return decls, reliefs


def dues(members: Iterable[Member], first: int, last: int, *,
         settings: rules.FeeRuleSettings | None = None) -> dict[int, dict[int, MonthDue]]:
    """{member id: {month index: MonthDue}} for the months first..last (indexes) each member was in
    the Party (from the month of the admission decision), from their declarations and reliefs."""
    amounts = Amounts(settings or rule_settings())
    members = list(members)
    decls, reliefs = _declarations([m.id for m in members], first, last)
    rows = [(m.id, m.organization_id, m.admission_date, decls.get(m.id, ()), reliefs.get(m.id, ())) for m in members]
    out: dict[int, dict[int, MonthDue]] = {m.id: {} for m in members}
    for mid, _oid, i, due, relief in _member_months(rows, first, last, amounts):
        if due is None:
            out[mid][i] = MonthDue(None, amounts.regime(i))
        else:
            out[mid][i] = MonthDue(due.due, due.regime, due.reasons, due.exempt_reason, relief[4] if relief else "")
    return out


def due_totals(org: Organization, first: int, last: int, *,
               settings: rules.FeeRuleSettings | None = None) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """What the current members of `org`'s subtree owe, summed per (organisation id, month), and the
    members per organisation — for the settlement of up to a million members: tuples, no objects,
    one memoised computation per distinct declaration (`Amounts`)."""
    amounts = Amounts(settings or rule_settings())
    members = list(Member.objects.filter(org_path__startswith=org.path, state__in=COUNTED_STATES)
                   .values_list("id", "organization_id", "admission_date"))
    decls: dict[int, list] = defaultdict(list)
    for mid, month, category, base in Declaration.objects.filter(
            org_path__startswith=org.path, from_month__lte=last).order_by("member_id", "-from_month").values_list(
            "member_id", "from_month", "category", "base"):
        decls[mid].append((month, category, base))
    reliefs: dict[int, list] = defaultdict(list)
    for mid, kind, start, end, pct in Relief.objects.filter(
            org_path__startswith=org.path, start_month__lte=last, end_month__gte=first).values_list(
            "member_id", "kind", "start_month", "end_month", "pct"):
        reliefs[mid].append((kind, start, end, pct, ""))
    # a difference array per organisation: each stretch of months with one amount is two additions,
    # then one running sum per organisation over the months (a million members × 12 months would
    # otherwise be 12 million Python steps)
    diff: dict[int, list[int]] = defaultdict(lambda: [0] * (last - first + 2))
    counts: dict[int, int] = defaultdict(int)
    boundaries = sorted({i for i in range(first + 1, last + 1) if amounts.regime(i) != amounts.regime(i - 1)})
    s = amounts.settings
    for mid, oid, admitted in members:
        counts[oid] += 1
        mine = decls.get(mid)
        if not mine:
            continue
        start = first
        if admitted:
            start = max(first, rules.month_index(admitted.year, admitted.month))
        if start > last:
            continue
        aged_from = rules.party_age_exempt_from(admitted, settings=s)
        cuts = {start, last + 1, *boundaries, *(d[0] for d in mine)}
        if aged_from is not None:
            cuts.add(aged_from)
        for r in reliefs.get(mid, ()):
            cuts.update((r[1], r[2] + 1))
        cuts = sorted(c for c in cuts if start <= c <= last + 1)
        row = diff[oid]
        for a, b in pairwise(cuts):
            decl = next((d for d in mine if d[0] <= a), None)
            if decl is None:
                continue
            relief = next((r for r in reliefs.get(mid, ()) if r[1] <= a <= r[2]), None)
            exempt = relief[0] if relief and relief[0] != "reduction" else "none"
            pct = relief[3] if relief and relief[0] == "reduction" else 0
            due = amounts.amount(decl[1], decl[2], pct, exempt, aged_from is not None and a >= aged_from, a)
            row[a - first] += due
            row[b - first] -= due
    totals: dict[tuple[int, int], int] = {}
    for oid, row in diff.items():
        running = 0
        for k in range(last - first + 1):
            running += row[k]
            if running:
                totals[(oid, first + k)] = running
    return totals, counts


def unpaid_months(members_qs_or_ids, year: int, *, today: date | None = None) -> dict[int, set[int]]:
    """{member id: {month 1–12}}: months of `year` (up to the current month) the member owed a fee and
    has neither paid nor been excused for (FEE-6 → MTG-8's warning list). A month owing nothing
    (exempt, FEE-4) is never unpaid; a month with nothing declared yet counts as unpaid when nothing
    was paid. Members with no such month are left out. Callers scope the members they pass."""
    if isinstance(members_qs_or_ids, (list, tuple, set, frozenset)) and all(
            isinstance(x, int) for x in members_qs_or_ids):
        members = list(Member.objects.filter(pk__in=list(members_qs_or_ids)))
    else:
        members = list(members_qs_or_ids)
    first = rules.month_index(year, 1)
    last = min(rules.month_index(year, 12), this_month(today))
    if last < first or not members:
        return {}
    owed = dues(members, first, last)
    paid: dict[int, dict[int, int]] = defaultdict(dict)
    excused: dict[int, set[int]] = defaultdict(set)
    for mid, month, amount, method in Payment.objects.filter(
            member_id__in=[m.id for m in members], month__gte=first, month__lte=last).values_list(
            "member_id", "month", "amount", "method"):
        if method == EXCUSED:
            excused[mid].add(month)
        else:
            paid[mid][month] = amount
    out = {}
    for m in members:
        due = {i: (1 if d.due is None else d.due) for i, d in owed[m.id].items()}
        months = rules.unpaid_months(due, paid[m.id], excused[m.id])
        if months:
            out[m.id] = {rules.month_of_index(i)[1] for i in months}
    return out


# -- the cell's ledger -----------------------------------------------------------------------------


@dataclass
class LedgerRow:
    member: Member
    due: MonthDue
    payment: Payment | None
    arrears: int = 0  # owed for earlier months of the year and not paid
    advance: int = 0  # paid for later months
    advance_months: int = 0  # how many later months are paid (what a secretary sees instead of the sum)


@dataclass
class Ledger:
    org: Organization
    month: int
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def due_total(self) -> int:
        return sum(r.due.due or 0 for r in self.rows)

    @property
    def collected(self) -> int:
        return sum(r.payment.amount for r in self.rows if r.payment)

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.payment and r.payment.method != EXCUSED)

    @property
    def arrears(self) -> int:
        return sum(r.arrears for r in self.rows)


def ledger_members(org: Organization):
    """The current members whose fees the organisation's ledger holds: those of its subtree."""
    return (Member.objects.filter(org_path__startswith=org.path, state__in=COUNTED_STATES)
            .select_related("organization").order_by("name_sort", "id"))


def ledger(*, user, org: Organization, month: int) -> Ledger:
    """One month of an organisation's ledger: each member's due, payment, arrears of the year so far
    and payments in advance. `org` must come from `fee_org_get`."""
    members = list(ledger_members(org))
    y, _m = rules.month_of_index(month)
    first = rules.month_index(y, 1)
    owed = dues(members, first, month)
    payments: dict[int, dict[int, Payment]] = defaultdict(dict)
    for p in Payment.objects.filter(member__in=members, month__gte=first):
        payments[p.member_id][p.month] = p
    out = Ledger(org=org, month=month)
    for m in members:
        mine = payments[m.id]
        paid = {i: p.amount for i, p in mine.items() if p.method != EXCUSED}
        due = {i: d.due or 0 for i, d in owed[m.id].items() if i < month and
               not (i in mine and mine[i].method == EXCUSED)}
        out.rows.append(LedgerRow(
            member=m, due=owed[m.id].get(month, MonthDue(0, rules.regime_for_month(y, _m))),
            payment=mine.get(month), arrears=rules.arrears(due, paid, month - 1), advance=rules.advance(paid, month),
            advance_months=sum(1 for i in paid if i > month)))
    return out


def member_history(*, member: Member, year: int) -> list[dict]:
    """A member's own months of a year: due, paid, how, receipt."""
    first, last = rules.month_index(year, 1), rules.month_index(year, 12)
    owed = dues([member], first, last)[member.id]
    payments = {p.month: p for p in Payment.objects.filter(member=member, month__gte=first, month__lte=last)}
    now = this_month()
    return [{"month": i, "label": month_label(i), "due": owed.get(i), "payment": payments.get(i), "future": i > now}
            for i in range(first, last + 1) if i in owed or i in payments]


def receipt_payments(*, member: Member, first: int, last: int) -> list[Payment]:
    """A member's payments (not the excused months) for months first..last, for a receipt; `member`
    must come from `fee_member_get`."""
    return list(Payment.objects.filter(member=member, month__gte=first, month__lte=last).exclude(method=EXCUSED)
                .select_related("organization").order_by("month"))


def declaration_current(member: Member) -> Declaration | None:
    return Declaration.objects.filter(member=member, from_month__lte=this_month()).order_by("-from_month").first() \
        or Declaration.objects.filter(member=member).order_by("from_month").first()


def reliefs_of(member: Member):
    return Relief.objects.filter(member=member).order_by("-start_month")


# -- collection rates and remittances --------------------------------------------------------------


def scope_top(*, user) -> Organization | None:
    scope = scope_of(user)
    return Organization.objects.filter(path=scope.org_path).first() if scope.sees_tree else None


def collection_rates(*, user, first: int, last: int, orgs: Iterable[Organization]) -> list[dict]:
    """Per organisation (each inside the user's scope; others are skipped): current members, payments
    recorded (cash / online) and excused for the months first..last, the amount collected, and the
    share paid of what was expected (member-months less the excused ones; a member without a payment
    row counts as not paid)."""
    scope = scope_of(user)
    n_months = last - first + 1
    out = []
    for o in orgs:
        if not scope.covers_path(o.path):
            continue
        members = Member.objects.filter(org_path__startswith=o.path, state__in=COUNTED_STATES).count()
        agg = Payment.objects.filter(org_path__startswith=o.path, month__gte=first, month__lte=last).aggregate(
            paid=Count("id", filter=~Q(method=EXCUSED)), excused=Count("id", filter=Q(method=EXCUSED)),
            amount=Sum("amount", default=0))
        expected = members * n_months - agg["excused"]
        rate = round(100 * agg["paid"] / expected, 1) if expected > 0 else None
        out.append({"org": o, "members": members, "paid": agg["paid"], "excused": agg["excused"],
                    "amount": agg["amount"], "expected": expected, "rate": rate})
    return out


def remittances(*, org: Organization, first: int, last: int) -> list[rules.Share]:
    """What `org`'s members paid for the months first..last, split up the tree from `org` to the top
    of its committee (FEE-6, FEE-7): each level's share kept and the rest remitted."""
    collected = Payment.objects.filter(org_path__startswith=org.path, month__gte=first, month__lte=last) \
        .aggregate(s=Sum("amount", default=0))["s"]
    chain = []
    node = org
    while node is not None:
        chain.append((node, node.kind))
        node = node.parent
    return rules.remittance(collected, chain, settings=rule_settings())


def _chain(org: Organization, top: Organization, cache: dict) -> list[tuple[Organization, str]]:
    """The levels from `org` up to `top` included (org inside top's subtree)."""
    chain, node = [], org
    while node is not None:
        chain.append((node, node.kind))
        if node.pk == top.pk:
            return chain
        parent_id = node.parent_id
        node = cache.get(parent_id) or Organization.objects.filter(pk=parent_id).first()
        if node is not None:
            cache[node.pk] = node
    raise ValueError(f"{org} is not under {top}")


def _chain_or_here(collector: Organization | None, top: Organization, cache: dict) -> list[tuple[Organization, str]]:
    """`_chain`, or `top` alone when the collecting organisation has since left `top`'s subtree (the
    payment keeps the path it was recorded under): the money reached `top` all the same."""
    try:
        return _chain(collector, top, cache) if collector is not None else [(top, top.kind)]
    except ValueError:
        return [(top, top.kind)]


def remittance_book(*, org: Organization, year: int) -> list[dict]:
    """`org`'s remittances up the tree month by month of `year` (FEE-6, FEE-7): what its ledger says it
    owes upward (every payment collected in its subtree for the month, each passed up from the
    organisation that collected it, less the shares kept on the way and by `org`), the transfers
    recorded, and what is outstanding. `org` must come from `fee_org_get`."""
    first, last = rules.month_index(year, 1), rules.month_index(year, 12)
    settings = rule_settings()
    collected: dict[int, dict[int, int]] = defaultdict(dict)
    for oid, month, s in (Payment.objects.filter(org_path__startswith=org.path, month__gte=first, month__lte=last)
                          .values("organization_id", "month").annotate(s=Sum("amount")).order_by()
                          .values_list("organization_id", "month", "s")):
        collected[month][oid] = s or 0
    cache = {o.pk: o for o in Organization.objects.filter(
        pk__in={oid for per in collected.values() for oid in per})}
    cache[org.pk] = org
    transfers: dict[int, list[Remittance]] = defaultdict(list)
    for t in Remittance.objects.filter(from_org=org, period__gte=first, period__lte=last).select_related("to_org"):
        transfers[t.period].append(t)
    out = []
    for i in range(first, last + 1):
        per = collected.get(i, {})
        owed = rules.owed_upward([(_chain_or_here(cache.get(oid), org, cache), amount) for oid, amount in per.items()],
                                 org, settings=settings)
        mine = transfers.get(i, [])
        r = rules.reconcile(owed, [t.amount for t in mine])
        out.append({"month": i, "label": month_label(i), "collected": sum(per.values()), "owed": r.owed,
                    "sent": r.sent, "outstanding": r.outstanding, "over": r.over, "transfers": mine})
    return out


def settlement(*, org: Organization, year: int) -> list[dict]:
    """The year's settlement: per organisation of `org`'s subtree with members of its own or
    payments, per month: members, due, cash, online, collected, excused (count), and the shares the
    organisation keeps of what it collected and remits (FEE-7)."""
    first, last = rules.month_index(year, 1), rules.month_index(year, 12)
    settings = rule_settings()
    due, counts = due_totals(org, first, last, settings=settings)
    pay: dict[tuple[int, int], dict] = defaultdict(lambda: {"cash": 0, "online": 0, "excused": 0})
    for oid, month, method, amount, n in (Payment.objects.filter(org_path__startswith=org.path, month__gte=first,
                                                                 month__lte=last)
                                          .values("organization_id", "month", "method")
                                          .annotate(s=Sum("amount"), n=Count("id")).order_by()
                                          .values_list("organization_id", "month", "method", "s", "n")):
        pay[(oid, month)][method] += n if method == EXCUSED else amount
    active = {oid for oid, _ in pay} | set(counts)
    orgs = Organization.objects.filter(pk__in=active).order_by("path")
    out = []
    for o in orgs:
        retained = settings.retained(o.kind)
        for i in range(first, last + 1):
            p = pay.get((o.id, i)) or {"cash": 0, "online": 0, "excused": 0}
            collected = p["cash"] + p["online"]
            kept = rules.remittance(collected, [(o, o.kind)], settings=settings)[0] if retained else None
            out.append({"org": o, "month": i, "members": counts.get(o.id, 0), "due": due.get((o.id, i), 0),
                        "cash": p["cash"], "online": p["online"], "collected": collected, "excused": p["excused"],
                        "retained": kept.retained if kept else 0, "remitted": kept.remitted if kept else collected,
                        "regime": rules.regime_for_month(year, i - first + 1, settings=settings)})
    return out


def warning_ground(org_path: str, year: int, *, today: date | None = None) -> dict[int, set[str]]:
    """MTG-8's second ground for the meetings' warning list (Điều lệ Đảng, Điều 8.1): {member id:
    {"YYYY-MM"}} of the members under `org_path` who did not pay without reason.

    Only months whose ledger the member's cell kept on the platform count (at least one payment or
    excused month recorded in that cell for that month): a cell that keeps its ledger on paper would
    otherwise put every member on the list for every month."""
    first, last = rules.month_index(year, 1), rules.month_index(year, 12)
    kept = set(Payment.objects.filter(org_path__startswith=org_path, month__gte=first, month__lte=last)
               .values_list("organization_id", "month").distinct())
    if not kept:
        return {}
    members = Member.objects.filter(org_path__startswith=org_path, state__in=COUNTED_STATES,
                                    organization_id__in={org for org, _m in kept})
    out: dict[int, set[str]] = {}
    unpaid = unpaid_months(list(members), year, today=today)
    org_of = dict(members.values_list("id", "organization_id"))
    for mid, months in unpaid.items():
        keys = {f"{year:04d}-{mo:02d}" for mo in months if (org_of[mid], rules.month_index(year, mo)) in kept}
        if keys:
            out[mid] = keys
    return out


def payment_methods(first: int, last: int) -> dict[str, tuple[int, int]]:
    """{organisation path: (months paid, months paid online)} for months `first`..`last` (month
    indexes), over every organisation, read without a user: the programme's share of fees paid online
    (FEE-10, TGT-5) rolls these up itself (`programme.measures`). A month excused is not a payment."""
    rows = (Payment.objects.filter(month__gte=first, month__lte=last).exclude(method=EXCUSED)
            .values("org_path").annotate(n=Count("id"), online=Count("id", filter=Q(method=ONLINE))))
    return {r["org_path"]: (r["n"], r["online"]) for r in rows}


def reliefs_ending(org_path: str, today: date, until: date) -> list[tuple[date, str, str, str, str]]:
    """Issue 13's "what is due": exemptions and reductions (FEE-4, at most 12 months a decision) of the
    current members under `org_path` whose last month ends between this month and `until`, unless
    another relief of the member starts the month after (renewed). (last day, what, who, cell, link)."""
    from calendar import monthrange

    from django.urls import reverse

    first, last = this_month(today), rules.month_index(until.year, until.month)
    rows = Relief.objects.filter(org_path__startswith=org_path, end_month__gte=first, end_month__lte=last,
                                 member__state__in=COUNTED_STATES) \
        .values_list("member_id", "kind", "pct", "end_month", "member__full_name", "member__organization__name")
    rows = list(rows)
    renewed = set(Relief.objects.filter(member_id__in={r[0] for r in rows})
                  .values_list("member_id", "start_month"))
    out = []
    for mid, kind, pct, end, name, org in rows:
        if (mid, end + 1) in renewed:
            continue
        y, m = rules.month_of_index(end)
        on = date(y, m, monthrange(y, m)[1])
        what = f"giảm {pct} % đảng phí" if kind == "reduction" else "miễn đảng phí"
        out.append((on, f"Hết thời hạn {what} (đến tháng {month_label(end)})", name, org,
                    reverse("fees_member", args=[mid])))
    return out
