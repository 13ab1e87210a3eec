"""Rules of the party fee (đảng phí). Pure Python (no Django).

Rule ids FEE-1..FEE-10 refer to /work/shared/DOMAIN.md; each function's docstring cites its id, the
regulation and DOMAIN.md's confidence. Every FEE rule is **med** or **low**, so every figure is a
field of `FeeRuleSettings` (defaults in `DEFAULTS`, sources in `SETTING_INFO`).

Regimes (FEE-1): a month is computed under Quy định 342-QĐ/TW up to 01/2026 and under Quy định
01-QĐ/TW from 02/2026 (`settings.new_regime_from`). The regime is decided by the month paid for alone:
the same declaration gives the same amount for any two months of one regime.

A member's declaration (`Declaration`): the category — `insured` (salary that compulsory social
insurance counts; under 342: grade salary and allowances, or income from the wage fund), `benefit`
(sick or maternity benefit paid by insurance), `pension`, `student`, `other` (no insured salary, no
pension) — and `base`, the monthly amount in đồng the rate applies to (none for student / other).
Then the exemption (`exempt`: none / social_pension / hardship, FEE-4), the reduction decided for the
month (0 / 30 / 50 / 70 %, FEE-4) and the admission decision date (party age, FEE-4's 50 years).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from dangbo.core import rulesettings
from dangbo.members.rules import add_years, full_years

REGIME_342 = "342-QĐ/TW"
REGIME_01 = "01-QĐ/TW"
REGIMES = (REGIME_342, REGIME_01)


class Category(StrEnum):
    INSURED = "insured"
    BENEFIT = "benefit"
    PENSION = "pension"
    STUDENT = "student"
    OTHER = "other"


CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
#: categories whose amount is a percentage of a declared base
BASED: tuple[str, ...] = (Category.INSURED.value, Category.BENEFIT.value, Category.PENSION.value)
CATEGORY_LABELS: dict[str, str] = {
    "insured": "Tiền lương đóng bảo hiểm xã hội bắt buộc",
    "benefit": "Trợ cấp ốm đau, thai sản do bảo hiểm chi trả",
    "pension": "Lương hưu (không đóng bảo hiểm bắt buộc)",
    "student": "Học sinh, sinh viên",
    "other": "Đối tượng khác (không có lương, không có lương hưu)",
}


class Exemption(StrEnum):
    NONE = "none"
    SOCIAL_PENSION = "social_pension"
    HARDSHIP = "hardship"


EXEMPTIONS: tuple[str, ...] = tuple(e.value for e in Exemption)
EXEMPTION_LABELS: dict[str, str] = {
    "none": "Không",
    "social_pension": "Hưởng trợ cấp hưu trí xã hội",
    "hardship": "Hoàn cảnh đặc biệt khó khăn (hộ nghèo, cận nghèo, bệnh hiểm nghèo)",
}
REDUCTIONS: tuple[int, ...] = (0, 30, 50, 70)

#: organisation kinds (orgs.rules.OrgKind values), written out to keep this module free of the tree
LEVEL_KINDS = ("cell", "sub_committee", "grassroots_cell", "grassroots_committee", "committee")


# --------------------------------------------------------------------------------------------------
# Months
# --------------------------------------------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int]:
    """"2026-02" → (2026, 2); ValueError otherwise."""
    t = str(text).strip()
    if len(t) != 7 or t[4] != "-" or not (t[:4].isdigit() and t[5:].isdigit()):
        raise ValueError(t)
    y, m = int(t[:4]), int(t[5:])
    if not (1930 <= y <= 2200 and 1 <= m <= 12):
        raise ValueError(t)
    return y, m


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_index(year: int, month: int) -> int:
    """Months counted from year 0: consecutive months differ by one."""
    return year * 12 + month - 1


def month_of_index(index: int) -> tuple[int, int]:
    y, m = divmod(index, 12)
    return y, m + 1


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------------


def _shares(value: Any) -> tuple[tuple[str, int], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), int(v)) for k, v in items)


@dataclass(frozen=True)
class FeeRuleSettings:
    """Figures of the fee rules, with their documented defaults (see `SETTING_INFO`).

    Rates are in per-mille of the base (10 ‰ = 1 %) so the arithmetic stays exact; sums in đồng.
    """

    # FEE-1
    new_regime_from: str = "2026-02"
    # FEE-2 (01-QĐ/TW)
    insured_permille_01: int = 10
    benefit_permille_01: int = 10
    pension_permille_01: int = 5
    student_sum_01: int = 5_000
    # FEE-3 (01-QĐ/TW, uninsured, no pension): a fixed sum per month
    other_sum_01: int = 15_930
    # FEE-8 (342-QĐ/TW)
    insured_permille_342: int = 10
    benefit_permille_342: int = 5
    pension_permille_342: int = 5
    student_sum_342: int = 5_000
    other_sum_342: int = 5_000
    # FEE-4
    exempt_party_age_years: int = 50
    reduction_max_months: int = 12
    # FEE-7: share of what reaches it that each level keeps (%), the rest goes up
    retained_pct: tuple[tuple[str, int], ...] = field(default=(
        ("cell", 30), ("sub_committee", 30), ("grassroots_cell", 70), ("grassroots_committee", 70),
        ("committee", 50)))
    # FEE-9
    rounding_unit: int = 1

    def __post_init__(self):
        object.__setattr__(self, "retained_pct", _shares(self.retained_pct))
        try:
            y, m = parse_month(self.new_regime_from)
        except ValueError:
            raise ValueError(f"Tháng áp dụng Quy định 01-QĐ/TW không hợp lệ: «{self.new_regime_from}» "
                             "(ghi dạng YYYY-MM).") from None
        for name, pct in self.retained_pct:
            if name not in LEVEL_KINDS or not 0 <= pct <= 100:
                raise ValueError(f"Tỷ lệ giữ lại không hợp lệ: «{name}» = {pct} (0–100 %).")
        if self.rounding_unit < 1:
            raise ValueError("Đơn vị làm tròn phải từ 1 đồng trở lên.")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> FeeRuleSettings:
        """Build settings from e.g. Django's `settings.DANGBO_RULES`, ignoring keys that are not ours."""
        return rulesettings.from_mapping(cls, values, {"retained_pct": _shares})

    def retained(self, kind: str) -> int:
        return dict(self.retained_pct).get(kind, 0)


DEFAULTS = FeeRuleSettings()

_Q01 = "Quy định 01-QĐ/TW, Điều 2"
_Q342 = "Quy định 342-QĐ/TW"
#: For each setting: (rule id, regulation, confidence) — shown next to the value in the UI.
SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "new_regime_from": ("FEE-1", "Quy định 01-QĐ/TW thay Quy định 342-QĐ/TW từ tháng 02/2026", "low"),
    "insured_permille_01": ("FEE-2", _Q01 + " (1 % tiền lương tháng trước làm căn cứ đóng BHXH)", "med"),
    "benefit_permille_01": ("FEE-2", _Q01 + " (1 % trợ cấp ốm đau, thai sản)", "med"),
    "pension_permille_01": ("FEE-2", _Q01 + " (0,5 % lương hưu)", "med"),
    "student_sum_01": ("FEE-2", _Q01 + " (học sinh, sinh viên 5.000 đ)", "med"),
    "other_sum_01": ("FEE-3", "0,3 % lương tối thiểu vùng I năm 2026 (5.310.000 đ); nguồn không chính thức", "low"),
    "insured_permille_342": ("FEE-8", _Q342 + " (1 % lương ngạch bậc, phụ cấp)", "med"),
    "benefit_permille_342": ("FEE-8", _Q342 + " (0,5 % trợ cấp bảo hiểm xã hội)", "med"),
    "pension_permille_342": ("FEE-8", _Q342 + " (0,5 % lương hưu)", "med"),
    "student_sum_342": ("FEE-8", _Q342 + " (đối tượng khác 2.000–30.000 đ; mức theo địa bàn chưa tìm thấy)", "low"),
    "other_sum_342": ("FEE-8", _Q342 + " (đối tượng khác 2.000–30.000 đ; mức theo địa bàn chưa tìm thấy)", "low"),
    "exempt_party_age_years": ("FEE-4", "Quy định 01-QĐ/TW (miễn đóng khi tuổi đảng từ 50 năm)", "med"),
    "reduction_max_months": ("FEE-4", "Quy định 01-QĐ/TW (miễn, giảm không quá 12 tháng mỗi quyết định)", "med"),
    "retained_pct": ("FEE-7", "Chưa tìm thấy quy định; theo 342 chi bộ trực thuộc nộp 70 % lên đảng uỷ cơ sở", "low"),
    "rounding_unit": ("FEE-9", "Không có quy định; làm tròn đến đồng, nửa lên trên", "low"),
}


# --------------------------------------------------------------------------------------------------
# Regimes
# --------------------------------------------------------------------------------------------------


def regime_for_month(year: int, month: int, *, settings: FeeRuleSettings = DEFAULTS) -> str:
    """The regulation a month's fee is computed under.

    FEE-1 — Quy định 01-QĐ/TW, Điều 2 (med; start month low, setting `new_regime_from`): the regime
    follows the month paid for — 342-QĐ/TW up to 01/2026, 01-QĐ/TW from 02/2026. Nothing else (the
    day of payment, the declaration) decides it."""
    start = parse_month(settings.new_regime_from)
    return REGIME_01 if (year, month) >= start else REGIME_342


# --------------------------------------------------------------------------------------------------
# The monthly amount
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    """What decides one member's amount for a month (see the module docstring)."""

    category: str
    base: int | None = None
    decision_date: date | None = None
    reduction_pct: int = 0
    exempt: str = "none"

    def __post_init__(self):
        problem = declaration_problem(self)
        if problem:
            raise ValueError(problem[1])


def declaration_problem(d: Declaration) -> tuple[str, str] | None:
    """(field, Vietnamese message) for the first thing wrong with a declaration, or None."""
    if d.category not in CATEGORIES:
        return "category", f"«{d.category}» không phải đối tượng đóng đảng phí ({', '.join(CATEGORIES)})."
    if d.category in BASED:
        if d.base is None:
            return "base", "cần số tiền làm căn cứ đóng đảng phí (đồng)."
        if not 0 <= d.base <= 10_000_000_000:
            return "base", f"{d.base} đồng nằm ngoài khoảng cho phép (0 đến 10 tỷ đồng)."
    if d.reduction_pct not in REDUCTIONS:
        return "reduction_pct", f"mức giảm {d.reduction_pct} % không hợp lệ (0, 30, 50 hoặc 70)."
    if d.exempt not in EXEMPTIONS:
        return "exempt", f"«{d.exempt}» không hợp lệ ({', '.join(EXEMPTIONS)})."
    return None


@dataclass(frozen=True)
class Due:
    due: int  # whole đồng, after exemption and reduction
    full: int  # before exemption and reduction
    regime: str
    reasons: tuple[str, ...]
    exempt_reason: str | None = None  # "party_age" | "social_pension" | "hardship"


def round_dong(amount: Decimal, *, settings: FeeRuleSettings = DEFAULTS) -> int:
    """FEE-9 (low, setting `rounding_unit`): no rounding rule was found; whole đồng (or the unit set),
    half up."""
    return _half_up(amount / settings.rounding_unit) * settings.rounding_unit


def _half_up(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def full_amount(category: str, base: int | None, regime: str, *,
                settings: FeeRuleSettings = DEFAULTS) -> tuple[Decimal, str]:
    """The month's amount before exemptions, unrounded, and the rule that gives it.

    FEE-2 — Quy định 01-QĐ/TW, Điều 2 (med), months from 02/2026: insured 1 % of the previous month's
    insured salary (the declared base is that salary), benefit 1 %, pension without compulsory
    insurance 0.5 %, students 5,000 đ. FEE-3 (low): the uninsured without pension pay a share of the
    regional minimum wage — a fixed sum per month here (`other_sum_01`).
    FEE-8 — Quy định 342-QĐ/TW (med), months up to 01/2026: 1 % of salary, 0.5 % of pensions and other
    insurance benefits; others 2,000–30,000 đ by area (fixed sums `student_sum_342`, `other_sum_342`).
    """
    new = regime == REGIME_01
    rule = "FEE-2" if new else "FEE-8"
    s = settings
    if category in BASED:
        permille = {
            "insured": s.insured_permille_01 if new else s.insured_permille_342,
            "benefit": s.benefit_permille_01 if new else s.benefit_permille_342,
            "pension": s.pension_permille_01 if new else s.pension_permille_342,
        }[category]
        return Decimal(base or 0) * permille / 1000, rule
    if category == "student":
        return Decimal(s.student_sum_01 if new else s.student_sum_342), rule
    return Decimal(s.other_sum_01 if new else s.other_sum_342), ("FEE-3" if new else rule)


def party_age_exempt(decision_date: date | None, year: int, month: int, *,
                     settings: FeeRuleSettings = DEFAULTS) -> bool:
    """FEE-4 (med, setting `exempt_party_age_years`): members with 50 years of party age or more are
    exempt. Party age counts from the admission decision (MEM-1); the month in which the 50th year is
    complete (by its last day) is the first exempt month (low: the day within the month is not
    regulated)."""
    if decision_date is None:
        return False
    return full_years(decision_date, last_day(year, month)) >= settings.exempt_party_age_years


def party_age_exempt_from(decision_date: date | None, *, settings: FeeRuleSettings = DEFAULTS) -> int | None:
    """The first month (index) exempt by party age — the month of the 50th anniversary (FEE-4, as
    `party_age_exempt`); None without a decision date. For computing many months at once."""
    if decision_date is None:
        return None
    anniversary = add_years(decision_date, settings.exempt_party_age_years)
    return month_index(anniversary.year, anniversary.month)


def monthly_due(decl: Declaration, year: int, month: int, *, settings: FeeRuleSettings = DEFAULTS) -> Due:
    """The amount a member owes for the month (year, month), in whole đồng, and the rules that decided.

    FEE-1 picks the regime from the month; FEE-2 / FEE-3 / FEE-8 give the full amount; FEE-4: exempt
    (→ 0) with 50 years of party age, a social pension or special hardship; otherwise the decided
    reduction of 30 / 50 / 70 % is taken off (never more than the full amount); FEE-9 rounds. FEE-5:
    a suspended member still pays (nothing here depends on suspension). 342's 50 % for "others" past
    working age has no input here (no counterpart found under 01-QĐ/TW, DOMAIN FEE-4).
    """
    regime = regime_for_month(year, month, settings=settings)
    amount, rule = full_amount(decl.category, decl.base, regime, settings=settings)
    full = round_dong(amount, settings=settings)
    reasons = ["FEE-1", rule]
    if amount != full:
        reasons.append("FEE-9")
    exempt_reason = None
    if party_age_exempt(decl.decision_date, year, month, settings=settings):
        exempt_reason = "party_age"
    elif decl.exempt != "none":
        exempt_reason = decl.exempt
    if exempt_reason:
        return Due(0, full, regime, (*reasons, "FEE-4"), exempt_reason)
    if decl.reduction_pct:
        reduced = round_dong(amount * (100 - decl.reduction_pct) / 100, settings=settings)
        return Due(min(reduced, full), full, regime, (*reasons, "FEE-4"))
    return Due(full, full, regime, tuple(reasons))


def due_formula(category: str, regime: str, reduction_pct: int = 0, exempt: bool = False, *,
                settings: FeeRuleSettings = DEFAULTS) -> tuple[int, int, int]:
    """`monthly_due` as integers for computing many members at once: (multiplier, fixed, divisor) with
    due = `apply_formula(base, …)` = (base × multiplier + fixed) / divisor rounded half up (FEE-9).
    Same rules as `monthly_due` (FEE-2/3/8 rates and sums, FEE-4 exemption and reduction); a property
    test holds them equal. `exempt` means exempt for any reason, party age included."""
    if exempt:
        return 0, 0, 1
    new = regime == REGIME_01
    s = settings
    keep = 100 - reduction_pct
    if category in BASED:
        permille = {
            "insured": s.insured_permille_01 if new else s.insured_permille_342,
            "benefit": s.benefit_permille_01 if new else s.benefit_permille_342,
            "pension": s.pension_permille_01 if new else s.pension_permille_342,
        }[category]
        return permille * keep, 0, 100_000
    fixed = (s.student_sum_01 if new else s.student_sum_342) if category == "student" else (
        s.other_sum_01 if new else s.other_sum_342)
    return 0, fixed * keep, 100


def apply_formula(base: int | None, formula: tuple[int, int, int], *, settings: FeeRuleSettings = DEFAULTS) -> int:
    """The due of `due_formula` for one base, in whole đồng (rounded half up to `rounding_unit`)."""
    mult, fixed, den = formula
    num = (base or 0) * mult + fixed
    unit = den * settings.rounding_unit
    return (2 * num + unit) // (2 * unit) * settings.rounding_unit


def reduction_problem(start: tuple[int, int], end: tuple[int, int], *,
                      settings: FeeRuleSettings = DEFAULTS) -> str | None:
    """FEE-4 (med, setting `reduction_max_months`): an exemption or reduction on application is decided
    for at most 12 months per decision. A Vietnamese message, or None."""
    n = month_index(*end) - month_index(*start) + 1
    if n < 1:
        return "Tháng kết thúc phải từ tháng bắt đầu trở đi."
    if n > settings.reduction_max_months:
        return (f"Mỗi quyết định miễn, giảm đảng phí không quá {settings.reduction_max_months} tháng "
                f"(quyết định này {n} tháng).")
    return None


# --------------------------------------------------------------------------------------------------
# Remittance up the tree (FEE-6, FEE-7)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    level: Any  # whatever identifies the level (an organisation, its kind …)
    kind: str
    received: int
    retained: int
    remitted: int


def remittance(amount: int, levels: Iterable[tuple[Any, str]], *,
               settings: FeeRuleSettings = DEFAULTS) -> list[Share]:
    """Split what a cell collected up the tree: each level, from the cell upwards, keeps its share of
    what reaches it and remits the rest to the next; the last level listed remits the rest further up
    (outside the platform). Every đồng is accounted for: received = retained + remitted, and each
    level receives what the one below remitted.

    FEE-6 (high, Điều lệ Điều 24.2): the cell collects and remits. FEE-7 (low, setting
    `retained_pct` per organisation kind): the shares kept under 01-QĐ/TW were not found; under 342
    only "a cell under a grassroots committee remits 70 % to it". Shares rounded half up (FEE-9).
    """
    out = []
    reaching = int(amount)
    for level, kind in levels:
        kept = _half_up(Decimal(reaching) * settings.retained(kind) / 100)  # to the đồng
        kept = max(0, min(kept, reaching))
        out.append(Share(level, kind, reaching, kept, reaching - kept))
        reaching -= kept
    return out


# --------------------------------------------------------------------------------------------------
# The ledger: what is owed, paid, in arrears (FEE-1, FEE-6)
# --------------------------------------------------------------------------------------------------


def unpaid_months(due: Mapping[int, int], paid: Mapping[int, int], excused: Iterable[int] = ()) -> set[int]:
    """Months (keys, e.g. 1–12 of a year) with something due and less paid, and no good reason
    (`excused`). FEE-6 (high): 3 such months lead to MTG-8's warning; a month owing 0 (exempt) is never
    unpaid."""
    ok = set(excused)
    return {m for m, d in due.items() if d > 0 and paid.get(m, 0) < d and m not in ok}


def arrears(due: Mapping[int, int], paid: Mapping[int, int], upto: int) -> int:
    """The amount still owed for the months (month indexes) up to `upto` included."""
    return sum(max(0, d - paid.get(m, 0)) for m, d in due.items() if m <= upto)


def advance(paid: Mapping[int, int], after: int) -> int:
    """What was paid for months (month indexes) after `after`: payment in advance (FEE-1: "early or
    late payment only under art. 5.2", recorded as such)."""
    return sum(v for m, v in paid.items() if m > after)


# --------------------------------------------------------------------------------------------------
# Remittances as transfers: what a level owes upward and what is still outstanding (FEE-6, FEE-7)
# --------------------------------------------------------------------------------------------------


def owed_upward(collections: Iterable[tuple[Sequence[tuple[Any, str]], int]], level: Any, *,
                settings: FeeRuleSettings = DEFAULTS) -> int:
    """What `level` must remit to the level above it: for each collection (the chain of levels from
    the organisation that collected up to `level` included, the amount collected), the part that
    reaches `level` less its share (`remittance`). FEE-6 (high, Điều lệ Điều 24.2) the cell collects
    and remits; FEE-7 (low) the shares are a setting per level."""
    total = 0
    for chain, amount in collections:
        shares = remittance(amount, chain, settings=settings)
        if not shares or shares[-1].level != level:
            raise ValueError("the chain must end at the level asked about")
        total += shares[-1].remitted
    return total


@dataclass(frozen=True)
class Reconciled:
    owed: int  # what the ledger says the level must remit for the period
    sent: int  # the transfers recorded
    outstanding: int  # still to send (0 when fully sent)
    over: int  # sent beyond what is owed (a transfer to check)


def reconcile(owed: int, transfers: Iterable[int]) -> Reconciled:
    """Owed against sent for one level and one period: owed = sent + outstanding − over, with at most
    one of outstanding and over not zero (FEE-6)."""
    sent = sum(int(t) for t in transfers)
    return Reconciled(owed, sent, max(0, owed - sent), max(0, sent - owed))
