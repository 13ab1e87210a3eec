"""Rules of an open vote (biểu quyết công khai) at a congress: what may be voted openly, the base
the result is counted against, and whether a motion passes.

Pure Python (no Django). Rule ids refer to /work/shared/DOMAIN.md (notes: reference/regulations.md
§1.2, §1.3, §1.5). Numbers that DOMAIN.md marks med/low are fields of `VoteRuleSettings` (defaults
in `DEFAULTS`, sources in `SETTING_INFO`); the functions take `settings=`.

- CON-4 (med, Quy định 190-QĐ/TW Điều 3): a show of hands (or the party card / the delegate's phone)
  decides the congress's bodies (presidium, secretariat, credentials and counting committees), the
  number to elect, the election list, withdrawals from it, the agenda, the rules and resolutions.
  Executive committee, standing committee, secretary, deputies, inspection commission and delegates
  to the upper congress are elected by secret ballot only: `open_vote_allowed` refuses them.
- The base of a **resolution** (nghị quyết) is the congress's **members** (Điều lệ Đảng Điều 9.5,
  high: "phải được quá nửa số thành viên trong tổ chức tán thành"), not those present: a delegates'
  congress counts the official delegates summoned minus those excluded under 24-QĐ/TW point 9.3.1
  (med), a members' congress the official members summoned minus the point 9.3.2 exclusions (med) —
  the same categories as the election base (CON-7, `elections.rules.BASE_EXCLUSIONS`), entered by the
  secretariat. It needs ⌊members/2⌋ + 1 in favour whatever the attendance: 184 summoned, 0 excluded,
  130 present, 70 in favour → fails (needs 93). Neither `vote_base` nor `vote_majority_pct` moves it.
- The base of a **procedural** show of hands (bodies of the congress, agenda, rules, number to elect,
  election list, withdrawals, "other"): the delegates (members) **present** when the vote is opened
  (setting `vote_base`, low — congresses' working rules say "quá nửa số đại biểu có mặt tán thành";
  "summoned" is the stricter alternative). A nominee is admitted by more than 30% of those **present**
  (CON-5, med), whatever `vote_base` says. Abstaining or not voting counts as not for.
- A procedural motion passes with **more than half** of the base in favour (setting `vote_majority_pct`
  = 50, med — the majority principle of Điều lệ Đảng Điều 9–10 / 190-QĐ/TW Điều 1: "đa số quá bán");
  admitting a nominee to the election list needs more than 30% of those present (CON-5,
  `elections.rules.nominee_admitted`, setting `nominee_min_pct` there).

Integer arithmetic only: "more than p% of n" is 100·v > p·n; the threshold is the least v with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from dangbo.congress import rules as congress_rules
from dangbo.core import rulesettings

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
CHOICES: tuple[str, ...] = (FOR, AGAINST, ABSTAIN)
CHOICE_LABELS: dict[str, str] = {FOR: "Tán thành", AGAINST: "Không tán thành", ABSTAIN: "Không biểu quyết"}

BASE_PRESENT, BASE_SUMMONED, BASE_MEMBERS = "present", "summoned", "members"
#: the values of the `vote_base` setting (procedural votes)
BASES: tuple[str, ...] = (BASE_PRESENT, BASE_SUMMONED)
#: how a vote's base was obtained, as the control page says it
BASE_LABELS: dict[str, str] = {
    BASE_MEMBERS: "số thành viên của đại hội (số triệu tập trừ số loại trừ) — Điều lệ Đảng, Điều 9.5",
    BASE_PRESENT: "số đại biểu có mặt khi mở biểu quyết",
    BASE_SUMMONED: "số đại biểu chính thức được triệu tập",
}

#: CON-4 subjects decided openly (190-QĐ/TW Điều 3), with the kind of threshold each one uses.
OPEN_KINDS: dict[str, str] = {
    "presidium": "Bầu Đoàn Chủ tịch đại hội",
    "secretariat": "Bầu Đoàn Thư ký đại hội",
    "credentials_committee": "Bầu Ban Thẩm tra tư cách đại biểu",
    "counting_committee": "Bầu Ban Kiểm phiếu",
    "agenda": "Thông qua chương trình đại hội",
    "rules": "Thông qua quy chế làm việc / quy chế bầu cử",
    "number_to_elect": "Thông qua số lượng cấp ủy cần bầu",
    "election_list": "Thông qua danh sách bầu cử",
    "withdrawal": "Cho / không cho rút khỏi danh sách bầu cử",
    "nominee": "Đưa người được đề cử, ứng cử vào danh sách bầu cử (CON-5)",
    "resolution": "Thông qua nghị quyết đại hội",
    "other": "Vấn đề khác (biểu quyết công khai)",
}
#: CON-4 subjects that must go to a secret ballot (190-QĐ/TW Điều 3): never an open vote.
SECRET_KINDS: dict[str, str] = {
    "executive_committee": "Bầu Ban Chấp hành (cấp ủy)",
    "standing_committee": "Bầu Ban Thường vụ",
    "secretary": "Bầu Bí thư",
    "deputy_secretary": "Bầu Phó Bí thư",
    "inspection_commission": "Bầu Ủy ban Kiểm tra, Chủ nhiệm, Phó Chủ nhiệm",
    "upper_delegates": "Bầu đại biểu (chính thức, dự khuyết) dự đại hội cấp trên",
}
NOMINEE = "nominee"
RESOLUTION = "resolution"
#: CON-4 (high, Điều lệ Đảng Điều 9.5): subjects counted on the congress's members, not those present.
MEMBER_BASE_KINDS: frozenset[str] = frozenset({RESOLUTION})
#: The command line's name for any show of hands that is not a resolution (`dangbo vote result`).
PROCEDURAL = "procedural"


@dataclass(frozen=True)
class VoteRuleSettings:
    #: base of a procedural open vote: "present" (delegates present at opening) or "summoned" (low);
    #: a resolution is always counted on the members (Điều lệ Đảng Điều 9.5), a nominee on those present.
    vote_base: str = BASE_PRESENT
    #: a motion passes with more than this % of the base in favour (med).
    vote_majority_pct: int = 50

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> VoteRuleSettings:
        """From e.g. `settings.DANGBO_RULES`, ignoring keys that are not ours."""
        s = rulesettings.from_mapping(cls, values)
        if s.vote_base not in BASES:
            raise ValueError(f"«vote_base» phải là một trong: {', '.join(BASES)} (nhận được «{s.vote_base}»).")
        if not (isinstance(s.vote_majority_pct, int) and 0 <= s.vote_majority_pct < 100):
            raise ValueError("«vote_majority_pct» phải là số nguyên từ 0 đến 99.")
        return s


DEFAULTS = VoteRuleSettings()

SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "vote_base": ("CON-4", "Quy chế làm việc của đại hội (mẫu thực tiễn: quá nửa số đại biểu có mặt), chưa kiểm chứng",
             "low"),
    "vote_majority_pct": ("CON-4", "Điều lệ Đảng Điều 9–10, Quy định 190-QĐ/TW Điều 1 (đa số quá bán)", "med"),
}


def open_vote_allowed(kind: str) -> bool:
    """Whether `kind` may be decided by an open vote. CON-4 — 190-QĐ/TW Điều 3 (med).

    Raises ValueError for an unknown kind; returns False for the secret-ballot subjects. `procedural`
    stands for any open subject other than a resolution (the command line's kind)."""
    if kind in OPEN_KINDS or kind == PROCEDURAL:
        return True
    if kind in SECRET_KINDS:
        return False
    raise ValueError(f"Loại biểu quyết không hợp lệ: «{kind}».")


def base_method(kind: str, settings: VoteRuleSettings = DEFAULTS) -> str:
    """How the base of a vote of `kind` is obtained: `members` for a resolution (CON-4, Điều lệ Đảng
    Điều 9.5, high), `present` for a nominee (CON-5, med), else the `vote_base` setting (low)."""
    if kind in MEMBER_BASE_KINDS:
        return BASE_MEMBERS
    if kind == NOMINEE:
        return BASE_PRESENT
    return settings.vote_base


def members_base(*, summoned: int, excluded: int = 0) -> int:
    """The members of a congress for a resolution: official delegates (members) summoned minus those
    excluded (CON-4; 24-QĐ/TW points 9.3.1 / 9.3.2, med — the categories of
    `elections.rules.BASE_EXCLUSIONS`, summed by the caller)."""
    congress_rules.non_negative(summoned=summoned, excluded=excluded)
    if excluded > summoned:
        raise ValueError(f"Số loại trừ ({excluded}) lớn hơn số được triệu tập ({summoned}).")
    return summoned - excluded


def vote_base(*, present: int, summoned: int, excluded: int = 0, kind: str = PROCEDURAL,
              settings: VoteRuleSettings = DEFAULTS) -> int:
    """The number a vote of `kind` is counted against (see `base_method`): for a resolution the
    congress's members (`members_base`; the excluded are absent or without a vote, so at most that many
    can be present); for a procedural vote the delegates present at opening (default) or summoned
    (setting `vote_base`, low); for a nominee those present (CON-5)."""
    congress_rules.non_negative(present=present, summoned=summoned, excluded=excluded)
    if present > summoned:
        raise ValueError(f"Số có mặt ({present}) không được lớn hơn số được triệu tập ({summoned}).")
    method = base_method(kind, settings)
    if method == BASE_MEMBERS:
        members = members_base(summoned=summoned, excluded=excluded)
        if present > members:
            raise ValueError(f"Số có mặt ({present}) lớn hơn số thành viên làm cơ sở tính ({members} = {summoned} "
                             f"triệu tập − {excluded} loại trừ): người đã loại trừ không thể có mặt biểu quyết.")
        return members
    return present if method == BASE_PRESENT else summoned


def more_than(pct: int, n: int) -> int:
    """The least whole v with v > pct% of n (100·v > pct·n): more_than(50, 184) = 93, (50, 7) = 4."""
    congress_rules.non_negative(pct=pct, n=n)
    return pct * n // 100 + 1


def needed(base: int, kind: str = PROCEDURAL, *, settings: VoteRuleSettings = DEFAULTS,
           congress_settings: congress_rules.CongressRuleSettings = congress_rules.DEFAULTS) -> int:
    """Votes in favour a motion of `kind` needs on `base`: a resolution more than half (⌊base/2⌋ + 1,
    Điều lệ Đảng Điều 9.5, high — not a setting); a nominee more than `nominee_min_pct`% of those
    present (CON-5, 190-QĐ/TW Điều 14); anything else more than `vote_majority_pct`% (CON-4)."""
    if kind in MEMBER_BASE_KINDS:
        return more_than(50, base)
    pct = congress_settings.nominee_min_pct if kind == NOMINEE else settings.vote_majority_pct
    return more_than(pct, base)


def percent(votes: int, base: int) -> Decimal:
    """votes / base in %, rounded half up to 2 decimals (0 when the base is 0)."""
    if base == 0:
        return Decimal("0.00")
    return (Decimal(100 * votes) / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class VoteResult(NamedTuple):
    base: int
    need: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    not_voting: int
    passed: bool
    pct_for: Decimal
    pct_against: Decimal
    pct_abstain: Decimal


def vote_result(*, votes_for: int, votes_against: int, votes_abstain: int, base: int, kind: str = PROCEDURAL,
                present: int | None = None, settings: VoteRuleSettings = DEFAULTS,
                congress_settings: congress_rules.CongressRuleSettings = congress_rules.DEFAULTS) -> VoteResult:
    """Count an open vote against its base (CON-4; CON-5 for a nominee).

    Passes when the votes in favour reach `needed(base, kind)`; against, abstaining and not voting
    all count as not in favour. Percentages are of the base. More votes than the base is refused
    (every voter is in the base), and, when `present` is given, more votes than those present (a
    resolution's base counts members who did not come); a secret-ballot subject is refused (CON-4).
    """
    congress_rules.non_negative(votes_for=votes_for, votes_against=votes_against,
                                 votes_abstain=votes_abstain, base=base)
    if not open_vote_allowed(kind):
        raise ValueError(f"«{SECRET_KINDS[kind]}» phải bầu bằng phiếu kín, không biểu quyết công khai (CON-4).")
    cast = votes_for + votes_against + votes_abstain
    if cast > base:
        raise ValueError(f"Tổng số biểu quyết ({cast}) lớn hơn số đại biểu làm cơ sở tính ({base}).")
    if present is not None and cast > present:
        raise ValueError(f"Tổng số biểu quyết ({cast}) lớn hơn số đại biểu có mặt ({present}).")
    need = needed(base, kind, settings=settings, congress_settings=congress_settings)
    return VoteResult(base, need, votes_for, votes_against, votes_abstain, base - cast,
                      base > 0 and votes_for >= need,
                      percent(votes_for, base), percent(votes_against, base), percent(votes_abstain, base))


def motion_result(*, kind: str, summoned: int, present: int, yes: int, no: int = 0, excluded: int = 0,
                  settings: VoteRuleSettings = DEFAULTS,
                  congress_settings: congress_rules.CongressRuleSettings = congress_rules.DEFAULTS) -> dict:
    """`dangbo vote result`: {"kind", "base", "needed", "yes", "passed"} for a `resolution` (base: the
    members, summoned − excluded) or a `procedural` vote (base: `vote_base` setting; `excluded` is not
    used) — through `vote_base` and `vote_result`, the functions the web uses. ValueError (Vietnamese)
    on bad input."""
    if kind not in (RESOLUTION, PROCEDURAL):
        raise ValueError(f"Loại biểu quyết phải là «{RESOLUTION}» (nghị quyết) hoặc «{PROCEDURAL}» (thủ tục); "
                         f"nhận được «{kind}».")
    base = vote_base(present=present, summoned=summoned, excluded=excluded if kind == RESOLUTION else 0,
                     kind=kind, settings=settings)
    r = vote_result(votes_for=yes, votes_against=no, votes_abstain=0, base=base, kind=kind, present=present,
                    settings=settings, congress_settings=congress_settings)
    return {"kind": kind, "base": r.base, "needed": r.need, "yes": r.votes_for, "passed": r.passed}
