"""Rules of a congress: quorum, delegate allocation, credentials, and the settings of the congress
rules (including the election rules' med/low numbers, `CongressRuleSettings`).

Pure Python (no Django): the congress services and the `dangbo congress` command compute through
these functions. The election rules (candidate lists, ballots, base, tally: CON-5..CON-8) are in
`dangbo.elections.rules`; they take the same `CongressRuleSettings`, so the installation configures
one set of congress numbers (`settings.DANGBO_RULES`) and the rules page shows them together.

Rule ids (CON-*) refer to /work/shared/DOMAIN.md (fuller notes: reference/regulations.md §1–3);
every rule function's docstring cites its id, the regulation and DOMAIN.md's confidence. Numbers
that DOMAIN.md marks **med** or **low** are fields of `CongressRuleSettings` (defaults in
`DEFAULTS`); each function using one takes `settings=` so the caller can pass the values configured
for the installation (`CongressRuleSettings.from_mapping(settings.DANGBO_RULES)`), and
`SETTING_INFO` says where each default comes from and how sure we are, for the UI.

All arithmetic on fractions of people is done with integers (no floating point): "at least 2/3 of n"
is ⌈2n/3⌉ = (2n + 2) // 3. Percentages shown in reports are rounded half up to 2 decimals
(`percent_of`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from dangbo.core import rulesettings

# --------------------------------------------------------------------------------------------------
# Settings (med / low rules)
# --------------------------------------------------------------------------------------------------

#: Organisation kinds (see orgs.rules) a congress can be held at; the caps apply to some of them.
LEVELS: tuple[str, ...] = ("committee", "grassroots_committee", "grassroots_cell", "sub_committee", "cell")
LEVEL_LABELS: dict[str, str] = {
    "committee": "Đảng bộ cấp trên trực tiếp cơ sở",
    "grassroots_committee": "Đảng bộ cơ sở",
    "grassroots_cell": "Chi bộ cơ sở",
    "sub_committee": "Đảng bộ bộ phận",
    "cell": "Chi bộ trực thuộc",
}

#: CON-1 — Điều lệ Đảng, Điều 11.6 (high): at least two thirds, for delegates and organisations alike.
QUORUM_NUMERATOR, QUORUM_DENOMINATOR = 2, 3


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class CongressRuleSettings:
    """Numbers of the congress rules, with their documented defaults (see `SETTING_INFO`)."""

    #: CON-2 (med, Chỉ thị 45-CT/TW): most delegates a congress may have, by organisation kind.
    delegate_caps: Mapping[str, int] = field(
        default_factory=lambda: _frozen({"committee": 300, "grassroots_committee": 250}))
    #: CON-2 (low): ex officio delegates are counted in their own unit's share (True) or on top (False).
    ex_officio_from_unit_share: bool = False
    #: CON-5 (med, 190-QĐ/TW Điều 14): the surplus is at most this % of the seats (floor, at least 1).
    surplus_max_pct: int = 30
    #: CON-5 (med): the convening committee prepares a surplus of 10–15% (advice shown in the UI).
    surplus_prepared_pct: tuple[int, int] = (10, 15)
    #: CON-5 (low): the surplus cap also applies to the lists DOMAIN leaves to the congress (secretary,
    #: deputies, inspection commission, delegates); by default the congress decides (no cap).
    surplus_cap_other_lists: bool = False
    #: CON-5 (med): a nominee not proposed by the committee needs more than this % of those present.
    nominee_min_pct: int = 30
    #: CON-6 (med): on a list with surplus a ballot striking every name is invalid.
    invalid_all_struck: bool = True
    #: CON-6 (low): a ballot adding a name not on the list is invalid.
    invalid_added_name: bool = True
    #: CON-6 (low): a ballot carrying an identifying mark is invalid.
    invalid_mark: bool = True
    #: CON-6 (low): an agree/disagree ballot with a single name and both boxes or neither is invalid.
    invalid_single_name_no_choice: bool = True

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> CongressRuleSettings:
        """Build settings from e.g. Django's `settings.DANGBO_RULES`, ignoring keys that are not ours."""
        return rulesettings.from_mapping(cls, values, {"delegate_caps": _frozen, "surplus_prepared_pct": tuple})


DEFAULTS = CongressRuleSettings()

#: For each setting: (rule id, regulation, confidence) — shown next to the value in the UI.
SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "delegate_caps": ("CON-2", "Chỉ thị 45-CT/TW (14/4/2025), mục cơ cấu, số lượng đại biểu", "med"),
    "ex_officio_from_unit_share": ("CON-2", "thực tiễn (mẫu Quyết định 341-QĐ/TW), chưa kiểm chứng", "low"),
    "surplus_max_pct": ("CON-5", "Quyết định 190-QĐ/TW, Điều 14", "med"),
    "surplus_prepared_pct": ("CON-5", "Quyết định 190-QĐ/TW, Điều 14", "med"),
    "surplus_cap_other_lists": ("CON-5", "Quyết định 190-QĐ/TW, Điều 14 chỉ nói cấp ủy, ban thường vụ; danh sách "
                                "khác do đại hội quyết định (chưa kiểm chứng)", "low"),
    "nominee_min_pct": ("CON-5", "Quyết định 190-QĐ/TW, Điều 14", "med"),
    "invalid_all_struck": ("CON-6", "Quy chế 244-QĐ/TW, Điều 17, giữ trong 190-QĐ/TW, Điều 15", "med"),
    "invalid_added_name": ("CON-6", "Quy chế 244-QĐ/TW, Điều 17 (nhớ lại, chưa kiểm chứng)", "low"),
    "invalid_mark": ("CON-6", "Quy chế 244-QĐ/TW, Điều 17 (nhớ lại, chưa kiểm chứng)", "low"),
    "invalid_single_name_no_choice": ("CON-6", "Quy chế 244-QĐ/TW, Điều 17 (nhớ lại, chưa kiểm chứng)", "low"),
}


def non_negative(**values: int) -> None:
    for name, v in values.items():
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"«{name}» phải là số nguyên (nhận được «{v}»).")
        if v < 0:
            raise ValueError(f"«{name}» không được âm (nhận được {v}).")


# --------------------------------------------------------------------------------------------------
# CON-1 quorum
# --------------------------------------------------------------------------------------------------


def two_thirds(n: int) -> int:
    """The least whole number that is at least 2/3 of n: ⌈2n/3⌉, in integers (184 → 123, 12 → 8).

    CON-1 — Điều lệ Đảng, Điều 11.6 (high).
    """
    non_negative(n=n)
    return (QUORUM_NUMERATOR * n + QUORUM_DENOMINATOR - 1) // QUORUM_DENOMINATOR


class QuorumResult(NamedTuple):
    valid: bool
    need_delegates: int
    need_orgs: int
    delegates_ok: bool
    orgs_ok: bool
    summoned: int
    present: int
    orgs_total: int
    orgs_present: int


def quorum(*, summoned: int, present: int, orgs_total: int, orgs_present: int) -> QuorumResult:
    """Whether a congress is valid: at least 2/3 of those summoned attend **and** at least 2/3 of the
    subordinate organisations have delegates present.

    CON-1 — Điều lệ Đảng, Điều 11.6 (high). `summoned` is the delegates (delegates' congress) or
    members (members' congress) summoned; `orgs_total` the subordinate organisations (0 when there are
    none, e.g. a cell's congress: the second condition then holds trivially). For 184 delegates and 12
    organisations: 123 delegates and 8 organisations. Exact integer arithmetic (⌈2n/3⌉).
    """
    non_negative(summoned=summoned, present=present, orgs_total=orgs_total, orgs_present=orgs_present)
    if present > summoned:
        raise ValueError(f"Số có mặt ({present}) không được lớn hơn số được triệu tập ({summoned}).")
    if orgs_present > orgs_total:
        raise ValueError(f"Số tổ chức có đại biểu dự ({orgs_present}) không được lớn hơn "
                         f"số tổ chức trực thuộc ({orgs_total}).")
    need_d, need_o = two_thirds(summoned), two_thirds(orgs_total)
    d_ok, o_ok = present >= need_d, orgs_present >= need_o
    return QuorumResult(d_ok and o_ok, need_d, need_o, d_ok, o_ok, summoned, present, orgs_total, orgs_present)


# --------------------------------------------------------------------------------------------------
# CON-2 allocation of delegates
# --------------------------------------------------------------------------------------------------


def delegate_cap(level: str, *, settings: CongressRuleSettings = DEFAULTS) -> int | None:
    """Most delegates a congress at `level` (an organisation kind) may have, or None if uncapped.

    CON-2 — Chỉ thị 45-CT/TW (med; setting `delegate_caps`): a committee directly above grassroots
    level ≤ 300, a grassroots committee ≤ 250. Unknown kinds: ValueError.
    """
    if level not in LEVELS:
        raise ValueError(f"Cấp tổ chức không hợp lệ: «{level}» (chọn một trong: {', '.join(LEVELS)}).")
    cap = settings.delegate_caps.get(level)
    return None if cap is None else int(cap)


def allocate(orgs: Sequence[tuple], seats: int, *, ex_officio: int = 0, base_per_org: int = 0,
             level: str | None = None, ex_officio_by_org: Mapping[str, int] | None = None,
             settings: CongressRuleSettings = DEFAULTS) -> dict[str, int]:
    """Allocate the delegate seats of a congress among the subordinate organisations.

    CON-2 — Điều lệ Đảng, Điều 11.2–11.3 (high): the convening committee decides the number and
    allocates by members, number of units and importance; its executive committee attends ex officio.
    Pattern (med, 341-QĐ/TW): each organisation gets `base_per_org` + its discretionary `bonus`; the
    rest is shared in proportion to members by the largest-remainder (Hamilton) method; ties for a
    remaining seat go to the organisation with more members, then by name (deterministic).

    `orgs` is a list of (name, members) or (name, members, bonus). Total to allocate =
    `seats` − `ex_officio`, and the result (name → seats, in `orgs` order) sums to exactly that.
    With the low setting `ex_officio_from_unit_share` and `ex_officio_by_org` (name → ex officio
    delegates belonging to that unit, summing to `ex_officio`), the shares are computed on all
    `seats` and each unit's ex officio delegates are taken out of its own share.
    When `level` is given, `seats` is checked against the cap (`delegate_cap`, med).
    Raises ValueError (Vietnamese message) on negative numbers, duplicate names, base + bonus more
    than the seats to share, a cap exceeded, or seats to share by members with no members.
    """
    non_negative(seats=seats, ex_officio=ex_officio, base_per_org=base_per_org)
    if ex_officio > seats:
        raise ValueError(f"Số đại biểu đương nhiên ({ex_officio}) lớn hơn tổng số đại biểu ({seats}).")
    if level is not None:
        cap = delegate_cap(level, settings=settings)
        if cap is not None and seats > cap:
            raise ValueError(f"{LEVEL_LABELS[level]}: đại hội không quá {cap} đại biểu "
                             f"(Chỉ thị 45-CT/TW); đã nhập {seats}.")
    rows: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    for row in orgs:
        if len(row) not in (2, 3):
            raise ValueError("Mỗi tổ chức gồm (tên, số đảng viên[, số đại biểu cộng thêm]).")
        name, members, bonus = row[0], row[1], (row[2] if len(row) == 3 else 0)
        name = str(name)
        if name in seen:
            raise ValueError(f"Tổ chức «{name}» xuất hiện hai lần.")
        seen.add(name)
        non_negative(**{f"số đảng viên của {name}": members, f"số cộng thêm của {name}": bonus})
        rows.append((name, members, bonus))

    from_share = settings.ex_officio_from_unit_share and ex_officio_by_org is not None
    if from_share:
        unknown = set(ex_officio_by_org) - seen
        if unknown:
            raise ValueError(f"Đại biểu đương nhiên thuộc tổ chức không có trong danh sách: "
                             f"{', '.join(sorted(unknown))}.")
        for name, n in ex_officio_by_org.items():
            non_negative(**{f"đại biểu đương nhiên của {name}": n})
        if sum(ex_officio_by_org.values()) != ex_officio:
            raise ValueError(f"Tổng đại biểu đương nhiên theo tổ chức ({sum(ex_officio_by_org.values())}) "
                             f"khác số đại biểu đương nhiên ({ex_officio}).")
        total = seats
    else:
        total = seats - ex_officio

    fixed = {name: base_per_org + bonus for name, _, bonus in rows}
    rest = total - sum(fixed.values())
    if rest < 0:
        raise ValueError(f"Số đại biểu phân bổ cố định (mỗi tổ chức {base_per_org} + cộng thêm) là "
                         f"{sum(fixed.values())}, vượt số đại biểu cần phân bổ ({total}).")
    shares = _largest_remainder([(name, members) for name, members, _ in rows], rest)
    out = {name: fixed[name] + shares[name] for name, _, _ in rows}
    if from_share:
        for name, n in ex_officio_by_org.items():
            if n > out[name]:
                raise ValueError(f"Tổ chức «{name}» có {n} đại biểu đương nhiên, nhiều hơn số được "
                                 f"phân bổ ({out[name]}).")
            out[name] -= n
    return out


def _largest_remainder(weights: list[tuple[str, int]], seats: int) -> dict[str, int]:
    """Hamilton's method in integers: floor of each quota, then one more seat to the largest
    remainders; ties: larger weight first, then name. CON-2 (med)."""
    total = sum(w for _, w in weights)
    if seats == 0:
        return {name: 0 for name, _ in weights}
    if total == 0:
        raise ValueError(f"Còn {seats} đại biểu phân bổ theo số đảng viên nhưng tổng số đảng viên bằng 0.")
    out: dict[str, int] = {}
    remainders = []
    for name, w in weights:
        q, r = divmod(seats * w, total)
        out[name] = q
        remainders.append((-r, -w, name))
    left = seats - sum(out.values())
    for _, _, name in sorted(remainders)[:left]:
        out[name] += 1
    return out


def percent_of(votes: int, base: int) -> float:
    """votes / base in percent, rounded half up to 2 decimals (CON-7, CON-9: % of the base)."""
    if base <= 0:
        return 0.0
    return float((Decimal(100 * votes) / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------------------------------
# CON-3 credentials
# --------------------------------------------------------------------------------------------------

#: CON-3 — Điều lệ Đảng, Điều 11.5 (high): the only grounds on which a delegate's credentials may be
#: refused. Stable codes.
REFUSAL_GROUNDS: dict[str, str] = {
    "suspended_party": "Đang bị đình chỉ sinh hoạt đảng",
    "suspended_committee": "Đang bị đình chỉ sinh hoạt cấp ủy",
    "prosecuted": "Đang bị khởi tố",
    "indicted": "Đang bị truy tố",
    "detained": "Đang bị tạm giam",
}


def refusal_problem(ground: str | None) -> str | None:
    """Why a refusal of credentials is not allowed (Vietnamese), or None when `ground` is an allowed
    ground. CON-3 — Điều lệ Đảng, Điều 11.5 (high): a delegate elected below may be refused only when
    suspended from party or committee activity, prosecuted, indicted or detained; any other reason —
    or none — is not a ground. (We apply the same list to appointed and ex officio delegates.)"""
    if not ground:
        return "Không công nhận tư cách đại biểu phải nêu một căn cứ (Điều lệ Đảng, Điều 11.5)."
    if ground not in REFUSAL_GROUNDS:
        return (f"«{ground}» không phải căn cứ để không công nhận tư cách đại biểu; chỉ được: "
                f"{'; '.join(REFUSAL_GROUNDS.values())} (Điều lệ Đảng, Điều 11.5).")
    return None


#: CON-3 credentials report (med): age bands and party-age bands (lower bounds in years, inclusive).
AGE_BANDS: tuple[tuple[int, str], ...] = ((0, "Dưới 40 tuổi"), (40, "Từ 40 đến dưới 50 tuổi"),
                                          (50, "Từ 50 đến dưới 60 tuổi"), (60, "Từ 60 đến dưới 70 tuổi"),
                                          (70, "Từ 70 tuổi trở lên"))
PARTY_AGE_BANDS: tuple[tuple[int, str], ...] = ((0, "Dưới 10 năm"), (10, "Từ 10 đến dưới 20 năm"),
                                                (20, "Từ 20 đến dưới 30 năm"), (30, "Từ 30 đến dưới 40 năm"),
                                                (40, "Từ 40 năm trở lên"))
NO_DATA = "Chưa có dữ liệu"


def band_of(years: int | None, bands: Sequence[tuple[int, str]]) -> str:
    """The label of the band `years` falls in (bands by inclusive lower bound, ascending); `NO_DATA`
    for None. CON-3 report (med)."""
    if years is None:
        return NO_DATA
    non_negative(years=years)
    label = bands[0][1]
    for low, name in bands:
        if years >= low:
            label = name
    return label


def breakdown(values: Iterable[str | None], order: Sequence[str] = ()) -> list[tuple[str, int, float]]:
    """(label, count, percent of all) for each distinct value: first those in `order` (even at 0),
    then the others by count, then `NO_DATA` for blank / None values (only if any). Percentages are of
    the whole list, rounded half up to 2 decimals, so the counts always sum to the number of values.
    CON-3 report (med)."""
    counts: Counter = Counter()
    total = 0
    for v in values:
        total += 1
        v = (v or "").strip() if isinstance(v, str) or v is None else str(v)
        counts[v or NO_DATA] += 1
    labels = [o for o in order if o != NO_DATA]
    labels += [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
               if k not in labels and k != NO_DATA]
    if counts[NO_DATA]:
        labels.append(NO_DATA)
    return [(k, counts[k], percent_of(counts[k], total)) for k in labels]
