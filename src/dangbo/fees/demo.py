"""The demo's party fees: every current member's declaration, January 2025 up to the demo's today
across the 1/2/2026 change (342-QĐ/TW → 01-QĐ/TW), mostly paid in cash at the cell, some online with
the portal's reference, a few excused months, a few members in arrears (three or more months unpaid
in 2026, for MTG-8's warning list), a few paid in advance, a few exemptions and reductions; the
grassroots organisations' transfers to the committee for each month of this year already closed, by
bank transfer, the amount the ledger says is owed — one organisation has not sent last month's yet and
another sent one month short (so the remittance page has something to reconcile).

Deterministic from `rng`; idempotent (nothing is written when the committee already has fee rows).
Rows are built in memory with the pure rules (memoised, `selectors.Amounts`) and written with
`services.demo_load` (bulk, one audit event).
"""

from __future__ import annotations

import random
from datetime import date

from dangbo.fees import rules, services
from dangbo.fees.models import CASH, EXCUSED, ONLINE, Declaration, Payment, Relief
from dangbo.fees.selectors import Amounts
from dangbo.members.models import Member
from dangbo.members.rules import COUNTED_STATES

FIRST = rules.month_index(2025, 1)
RAISE = rules.month_index(2026, 1)  # some salaries change with the new year


def _category(rng: random.Random) -> tuple[str, int | None]:
    roll = rng.random()
    if roll < 0.58:
        return "insured", rng.randrange(4_500, 22_000) * 1_000
    if roll < 0.61:
        return "benefit", rng.randrange(3_000, 9_000) * 1_000
    if roll < 0.81:
        return "pension", rng.randrange(3_500, 14_000) * 1_000
    if roll < 0.86:
        return "student", None
    return "other", None


def build_fees_demo(*, root, today: date, rng: random.Random) -> int:
    """Write the demo's fee rows under `root`; returns how many payments were written (0 when the
    demo already has them)."""
    if Payment.objects.filter(org_path__startswith=root.path).exists():
        return 0
    settings = rules.DEFAULTS
    amounts = Amounts(settings)
    now = rules.month_index(today.year, today.month)
    members = list(Member.objects.filter(org_path__startswith=root.path, state__in=COUNTED_STATES)
                   .order_by("id").only("id", "organization_id", "org_path", "admission_date"))
    decls, reliefs, payments = [], [], []
    receipts: dict[tuple[int, int], int] = {}
    late = set(rng.sample(range(len(members)), min(25, len(members))))  # arrears in 2026
    ahead = set(rng.sample(range(len(members)), min(12, len(members))))  # paid the next months
    for n, m in enumerate(members):
        start = FIRST
        if m.admission_date:
            start = max(FIRST, rules.month_index(m.admission_date.year, m.admission_date.month))
        category, base = _category(rng)
        history = [(start, category, base)]
        if base and rng.random() < 0.3 and start < RAISE:
            history.append((RAISE, category, base + rng.randrange(2, 12) * 100_000))
        for month, c, b in history:
            decls.append(Declaration(member_id=m.id, org_path=m.org_path, from_month=month, category=c, base=b))
        aged_from = rules.party_age_exempt_from(m.admission_date, settings=settings)
        relief = None
        roll = rng.random()
        if roll < 0.004:
            relief = Relief(member_id=m.id, org_path=m.org_path, kind="hardship", pct=0, start_month=RAISE + 1,
                            end_month=RAISE + 6, decision="12-QĐ/ĐU ngày 20/01/2026")
        elif roll < 0.01:
            relief = Relief(member_id=m.id, org_path=m.org_path, kind="reduction", pct=rng.choice((30, 50, 70)),
                            start_month=RAISE + 1, end_month=RAISE + 12, decision="13-QĐ/ĐU ngày 20/01/2026")
        if relief:
            reliefs.append(relief)
        skip = set()
        if n in late:
            skip = set(rng.sample(range(RAISE, max(RAISE + 1, now)), min(4, max(0, now - RAISE))))
        last = now + (3 if n in ahead else 0)
        for i in range(start, last + 1):
            y, mo = rules.month_of_index(i)
            if i in skip or (i < now and rng.random() < 0.01) or (i == now and rng.random() < 0.3):
                continue  # unpaid (this month: still being collected)
            _from, c, b = next(h for h in reversed(history) if h[0] <= i)
            in_relief = relief is not None and relief.start_month <= i <= relief.end_month
            due = amounts.due(c, b, relief.pct if in_relief and relief.kind == "reduction" else 0,
                              relief.kind if in_relief and relief.kind != "reduction" else "none",
                              aged_from is not None and i >= aged_from, i).due
            paid_on = date(y, mo, rng.randint(3, 25)) if i <= now else today
            if rng.random() < 0.006:
                method, amount, ref = EXCUSED, 0, "Ốm điều trị dài ngày, chi bộ xét có lý do"
            elif i >= rules.month_index(2025, 7) and rng.random() < 0.14:
                method, amount, ref = ONLINE, due, f"DVCQG-{y}{mo:02d}-{rng.randrange(10**7):07d}"
            else:
                method, amount, ref = CASH, due, ""
            receipt = 0
            if method != EXCUSED:
                key = (m.organization_id, y)
                receipts[key] = receipt = receipts.get(key, 0) + 1
            payments.append((m.id, m.organization_id, m.org_path, i, due, amount, method, ref, paid_on, receipt))
    services.demo_load(root=root, declarations=decls, reliefs=reliefs, payments=payments)
    _remittances(root, today)
    return len(payments)


def _remittances(root, today: date) -> None:
    """FEE-6: each organisation directly under the committee sends each closed month of this year what
    its ledger says it owes, on the 10th of the next month (`services.remittance_record`, audited) —
    except the last organisation, which has not sent last month's yet, and the first, which sent one
    month 10,000 đồng short."""
    from dangbo.fees.selectors import remittance_book
    from dangbo.orgs.models import Organization

    below = list(Organization.objects.filter(parent=root, valid_to=None).order_by("path"))
    closed = rules.month_index(today.year, today.month) - 1
    for k, org in enumerate(below):
        for row in remittance_book(org=org, year=today.year):
            month, owed = row["month"], row["owed"]
            if month > closed or owed <= 0 or (k == len(below) - 1 and month == closed):
                continue
            y, mo = rules.month_of_index(month + 1)
            amount = owed - 10_000 if k == 0 and month == closed - 2 and owed > 10_000 else owed
            services.remittance_record(actor=None, org=org, period=month, amount=amount,
                                       transferred_on=min(date(y, mo, 10), today),
                                       reference=f"UNC-{y}{mo:02d}-{org.pk:03d}", today=today)
