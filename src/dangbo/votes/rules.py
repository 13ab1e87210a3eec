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
- The base: the delegates (members) **present** when the vote is opened (setting `vote_base`, low —
  congresses' working rules say "quá nửa số đại biểu có mặt tán thành"; "summoned" is the stricter
  alternative the Statute uses for elections, CON-7). Abstaining or not voting counts as not for.
- A motion passes with **more than half** of the base in favour (setting `vote_majority_pct` = 50, med —
  the majority principle of Điều lệ Đảng Điều 9–10 / 190-QĐ/TW Điều 1: "đa số quá bán");
  admitting a nominee to the election list needs more than 30% of those present (CON-5,
  `congress.rules.nominee_admitted`, setting `nominee_min_pct` there).

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

BASE_PRESENT, BASE_SUMMONED = "present", "summoned"
BASES: tuple[str, ...] = (BASE_PRESENT, BASE_SUMMONED)

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


@dataclass(frozen=True)
class VoteRuleSettings:
    #: base of an open vote: "present" (delegates present at opening) or "summoned" (low).
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

    Raises ValueError for an unknown kind; returns False for the secret-ballot subjects."""
    if kind in OPEN_KINDS:
        return True
    if kind in SECRET_KINDS:
        return False
    raise ValueError(f"Loại biểu quyết không hợp lệ: «{kind}».")


def vote_base(*, present: int, summoned: int, settings: VoteRuleSettings = DEFAULTS) -> int:
    """The number an open vote is counted against (CON-4; setting `vote_base`, low): the delegates present
    at opening (default) or the delegates summoned."""
    congress_rules._non_negative(present=present, summoned=summoned)
    if present > summoned:
        raise ValueError(f"Số có mặt ({present}) không được lớn hơn số được triệu tập ({summoned}).")
    return present if settings.vote_base == BASE_PRESENT else summoned


def more_than(pct: int, n: int) -> int:
    """The least whole v with v > pct% of n (100·v > pct·n): more_than(50, 184) = 93, (50, 7) = 4."""
    congress_rules._non_negative(pct=pct, n=n)
    return pct * n // 100 + 1


def needed(base: int, kind: str = "other", *, settings: VoteRuleSettings = DEFAULTS,
           congress_settings: congress_rules.CongressRuleSettings = congress_rules.DEFAULTS) -> int:
    """Votes in favour a motion of `kind` needs on `base`: more than `vote_majority_pct`% (CON-4), or for a
    nominee more than `nominee_min_pct`% of those present (CON-5, 190-QĐ/TW Điều 14)."""
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


def vote_result(*, votes_for: int, votes_against: int, votes_abstain: int, base: int, kind: str = "other",
                settings: VoteRuleSettings = DEFAULTS,
                congress_settings: congress_rules.CongressRuleSettings = congress_rules.DEFAULTS) -> VoteResult:
    """Count an open vote against its base (CON-4; CON-5 for a nominee).

    Passes when the votes in favour reach `needed(base, kind)`; against, abstaining and not voting
    all count as not in favour. Percentages are of the base. More votes than the base is refused
    (every voter is in the base), as is a secret-ballot subject (CON-4).
    """
    congress_rules._non_negative(votes_for=votes_for, votes_against=votes_against,
                                 votes_abstain=votes_abstain, base=base)
    if not open_vote_allowed(kind):
        raise ValueError(f"«{SECRET_KINDS[kind]}» phải bầu bằng phiếu kín, không biểu quyết công khai (CON-4).")
    cast = votes_for + votes_against + votes_abstain
    if cast > base:
        raise ValueError(f"Tổng số biểu quyết ({cast}) lớn hơn số đại biểu làm cơ sở tính ({base}).")
    need = needed(base, kind, settings=settings, congress_settings=congress_settings)
    return VoteResult(base, need, votes_for, votes_against, votes_abstain, base - cast,
                      base > 0 and votes_for >= need,
                      percent(votes_for, base), percent(votes_against, base), percent(votes_abstain, base))
