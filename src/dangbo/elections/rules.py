"""Rules of a congress's elections: candidate lists (CON-5), ballots (CON-6), the base and the
threshold (CON-7), the tally and runoffs (CON-7, CON-8).

Pure Python (no Django): the elections services, the counting pages and the `dangbo election`
command all compute through these functions. Their med/low numbers are fields of
`dangbo.congress.rules.CongressRuleSettings` (one set of congress settings).

Rule ids (CON-*) refer to /work/shared/DOMAIN.md (fuller notes: reference/regulations.md §1–3);
every rule function's docstring cites its id, the regulation and DOMAIN.md's confidence. Numbers
that DOMAIN.md marks **med** or **low** are fields of `CongressRuleSettings` (defaults in
`DEFAULTS`); each function using one takes `settings=` so the caller can pass the values configured
for the installation (`CongressRuleSettings.from_mapping(settings.DANGBO_RULES)`), and
`SETTING_INFO` says where each default comes from and how sure we are, for the UI.

All arithmetic on fractions of people is done with integers (no floating point): "more than half of
the base" is base // 2 + 1, "more than 30% of n" is 100·v > 30·n. Percentages shown in minutes are
rounded half up to 2 decimals (`congress.rules.percent_of`).

Decisions on points the texts leave open (each is documented where it is applied):
- CON-5 surplus cap: ⌊30% × seats⌋, but at least 1 (so a 3–5 seat committee may have a surplus of 1,
  as the guidance for small committees says).
- CON-6 one reason per invalid ballot, in the order unstamped, too_many, all_struck, added_name,
  mark (the first that applies is recorded).
- CON-7 a tally with more ballots than the base is refused (every voter is in the base).
- CON-8 a runoff elects the highest counts with no threshold; a tie that again crosses the last seat
  is reported as `runoff` (the congress decides).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from dangbo.congress.rules import DEFAULTS, CongressRuleSettings, non_negative, percent_of

#: CON-6 ballot flags a teller can record besides the names kept.
FLAG_UNSTAMPED = "unstamped"  # not issued by the counting committee (no seal)
FLAG_ADDED_NAME = "added_name"  # a name written in that is not on the list
FLAG_MARK = "mark"  # an identifying mark or extra content
FLAGS: tuple[str, ...] = (FLAG_UNSTAMPED, FLAG_ADDED_NAME, FLAG_MARK)

#: CON-6 reasons a ballot is invalid (stable codes, in the order they are checked).
REASON_UNSTAMPED = "unstamped"
REASON_TOO_MANY = "too_many"
REASON_ALL_STRUCK = "all_struck"
REASON_ADDED_NAME = "added_name"
REASON_MARK = "mark"
REASON_NO_CHOICE = "no_choice"  # agree/disagree list with a single name: both boxes or neither
REASONS: tuple[str, ...] = (REASON_UNSTAMPED, REASON_TOO_MANY, REASON_ALL_STRUCK, REASON_ADDED_NAME,
                            REASON_MARK, REASON_NO_CHOICE)
REASON_LABELS: dict[str, str] = {
    REASON_UNSTAMPED: "Phiếu không do Ban Kiểm phiếu phát ra (không có dấu)",
    REASON_TOO_MANY: "Phiếu bầu nhiều hơn số lượng cần bầu",
    REASON_ALL_STRUCK: "Phiếu gạch hết tên trong danh sách có số dư",
    REASON_ADDED_NAME: "Phiếu ghi thêm tên người ngoài danh sách",
    REASON_MARK: "Phiếu có dấu hiệu riêng, ghi thêm nội dung",
    REASON_NO_CHOICE: "Phiếu một tên đánh dấu cả hai ô hoặc không đánh dấu ô nào",
}

#: Agree/disagree ballots (lists without surplus): what a voter marked against one name.
AGREE, DISAGREE, BOTH, NEITHER = "agree", "disagree", "both", "none"
MARKS: tuple[str, ...] = (AGREE, DISAGREE, BOTH, NEITHER)


# --------------------------------------------------------------------------------------------------
# CON-5 candidate list
# --------------------------------------------------------------------------------------------------


def max_surplus(seats: int, *, max_pct: int | None = None, settings: CongressRuleSettings = DEFAULTS) -> int:
    """Largest surplus allowed: ⌊max_pct% × seats⌋, but at least 1 (our reading; see below).

    CON-5 — Quyết định 190-QĐ/TW, Điều 14 (med; setting `surplus_max_pct`, default 30): the congress
    sets the surplus, at most 30% of the seats. Rounding is not specified: we take the floor (the cap
    is "at most") but allow at least 1, since the list must have more candidates than seats and the
    guidance for 3–5 seat committees allows a surplus of 1. `max_pct` is the figure the congress
    decided (≤ the setting).
    """
    pct = settings.surplus_max_pct if max_pct is None else max_pct
    non_negative(seats=seats, max_pct=pct)
    if pct > settings.surplus_max_pct:
        raise ValueError(f"Số dư tối đa do đại hội quyết định không quá {settings.surplus_max_pct}% "
                         f"số lượng cần bầu (đã nhập {pct}%).")
    return max(1, seats * pct // 100)


def surplus_problem(candidates: int, seats: int, *, max_pct: int | None = None,
                    settings: CongressRuleSettings = DEFAULTS) -> str | None:
    """Why an election list with surplus is not acceptable (Vietnamese), or None if it is.

    CON-5 — Quyết định 190-QĐ/TW, Điều 14 (med): more candidates than seats; the surplus at most
    `max_surplus(seats)` (⌊30%⌋, at least 1). Lists without surplus use `tally_agree`.
    """
    non_negative(candidates=candidates, seats=seats)
    if seats == 0:
        return "Số lượng cần bầu phải lớn hơn 0."
    if candidates <= seats:
        return (f"Danh sách bầu cử phải có số dư: {candidates} người cho {seats} chỗ "
                f"(cần ít nhất {seats + 1} người).")
    top = max_surplus(seats, max_pct=max_pct, settings=settings)
    if candidates - seats > top:
        pct = settings.surplus_max_pct if max_pct is None else max_pct
        return (f"Số dư {candidates - seats} người vượt mức tối đa {top} người "
                f"({pct}% của {seats}, làm tròn xuống, ít nhất 1).")
    return None


#: What a congress elects by secret ballot (CON-4), with the words used on the pages.
ELECTION_BODY_LABELS: dict[str, str] = {
    "executive_committee": "Ban Chấp hành (cấp ủy)",
    "standing_committee": "Ban Thường vụ",
    "secretary": "Bí thư",
    "deputy_secretary": "Phó Bí thư",
    "inspection_commission": "Ủy ban Kiểm tra",
    "upper_delegates": "Đại biểu dự Đại hội cấp trên",
}
ELECTION_BODIES: tuple[str, ...] = tuple(ELECTION_BODY_LABELS)
#: CON-5 (high, 190-QĐ/TW Điều 14.1): these lists must have a surplus (unless a single seat) within the cap.
MUST_HAVE_SURPLUS: tuple[str, ...] = ("executive_committee", "standing_committee")
#: CON-5: besides single-seat lists, only these may have no surplus (agree / disagree ballot).
NO_SURPLUS_ALLOWED: tuple[str, ...] = ("secretary", "deputy_secretary")
STRIKE_FORM, AGREE_FORM = "strike", "agree"


def list_problem(body: str, candidates: int, seats: int, *, runoff: bool = False, max_pct: int | None = None,
                 settings: CongressRuleSettings = DEFAULTS) -> str | None:
    """Why a list of `candidates` for `seats` of `body` cannot be voted on (Vietnamese), or None.

    CON-5 — Quyết định 190-QĐ/TW, Điều 14.1 (high): executive and standing committee lists **must**
    have more candidates than seats, at most `max_surplus(seats)` more (⌊30%⌋, at least 1; med). Only
    secretary, deputy-secretary and single-seat lists may have no surplus (they use the agree /
    disagree ballot). Inspection commission and delegates: the surplus is not stated — the congress
    decides (low): no cap unless the setting `surplus_cap_other_lists`. A runoff (CON-8) is among the
    tied only: more names than seats, no cap. Never fewer names than seats.
    """
    if body not in ELECTION_BODY_LABELS:
        raise ValueError(f"«Bầu» không hợp lệ: «{body}».")
    non_negative(candidates=candidates, seats=seats)
    label = ELECTION_BODY_LABELS[body]
    if seats == 0:
        return "Số lượng cần bầu phải lớn hơn 0."
    if candidates == 0:
        return "Danh sách bầu cử chưa có ai."
    if runoff:
        return None if candidates > seats else "Bầu lại cần nhiều người hơn số chỗ còn lại (CON-8)."
    if candidates < seats:
        return f"Danh sách bầu {label} có {candidates} người, ít hơn số lượng cần bầu ({seats})."
    if candidates == seats:
        if body in MUST_HAVE_SURPLUS and seats > 1:
            return (f"Danh sách bầu {label} phải có số dư: {candidates} người cho {seats} chỗ (cần ít nhất "
                    f"{seats + 1}, nhiều nhất {seats + max_surplus(seats, max_pct=max_pct, settings=settings)} "
                    "người). Chỉ danh sách bầu bí thư, phó bí thư hoặc bầu một người mới được không có số dư "
                    "(Quyết định 190-QĐ/TW, Điều 14).")
        return None
    if body in MUST_HAVE_SURPLUS or settings.surplus_cap_other_lists:
        problem = surplus_problem(candidates, seats, max_pct=max_pct, settings=settings)
        return f"Danh sách bầu {label}: {problem[0].lower()}{problem[1:]}" if problem else None
    return None


def ballot_form(body: str, candidates: int, seats: int, *, runoff: bool = False) -> str:
    """The ballot a voteable list uses (CON-5, CON-6): striking names on a list with surplus (and on a
    runoff), agree / disagree on a list without surplus."""
    return AGREE_FORM if candidates == seats and not runoff else STRIKE_FORM


def nominee_admitted(votes_for: int, present: int, *, settings: CongressRuleSettings = DEFAULTS) -> bool:
    """Whether a nominee not proposed by the convening committee enters the list: agreed by **more
    than** 30% of the delegates (members) present, i.e. 100·votes > 30·present, in integers.

    CON-5 — Quyết định 190-QĐ/TW, Điều 14 (med; setting `nominee_min_pct`).
    """
    non_negative(votes_for=votes_for, present=present)
    if votes_for > present:
        raise ValueError(f"Số đồng ý ({votes_for}) lớn hơn số có mặt ({present}).")
    return 100 * votes_for > settings.nominee_min_pct * present


# --------------------------------------------------------------------------------------------------
# CON-6 ballot validity
# --------------------------------------------------------------------------------------------------


def _check_flags(flags: Iterable[str]) -> frozenset[str]:
    flags = frozenset(flags)
    unknown = flags - set(FLAGS)
    if unknown:
        raise ValueError(f"Ghi chú phiếu không hợp lệ: {', '.join(sorted(unknown))} "
                         f"(chỉ dùng: {', '.join(FLAGS)}).")
    return flags


def ballot_validity(kept: Iterable[int], flags: Iterable[str] = (), *, list_size: int, seats: int,
                    has_surplus: bool | None = True,
                    settings: CongressRuleSettings = DEFAULTS) -> tuple[bool, str | None]:
    """Whether a striking ballot is valid, and the reason code if not.

    CON-6 — Quy chế 244-QĐ/TW, Điều 17, kept by 190-QĐ/TW, Điều 15: a voter drops a candidate by
    striking the whole name; `kept` is the set of names left. Invalid (checked in this order, the
    first reason that applies is returned):
    - "unstamped": not issued by the counting committee (med);
    - "too_many": keeps more names than seats (med);
    - "all_struck": on a list with surplus, every name struck (med; setting `invalid_all_struck`);
    - "added_name": a name added that is not on the list (low; setting `invalid_added_name`);
    - "mark": an identifying mark (low; setting `invalid_mark`).
    `has_surplus=None` derives it from list_size > seats. Returns (valid, reason or None).
    """
    kept = frozenset(kept)
    flags = _check_flags(flags)
    non_negative(list_size=list_size, seats=seats)
    if len(kept) > list_size:
        raise ValueError(f"Phiếu giữ {len(kept)} tên nhưng danh sách chỉ có {list_size} người.")
    if has_surplus is None:
        has_surplus = list_size > seats
    if FLAG_UNSTAMPED in flags:
        return False, REASON_UNSTAMPED
    if len(kept) > seats:
        return False, REASON_TOO_MANY
    if has_surplus and not kept and settings.invalid_all_struck:
        return False, REASON_ALL_STRUCK
    if FLAG_ADDED_NAME in flags and settings.invalid_added_name:
        return False, REASON_ADDED_NAME
    if FLAG_MARK in flags and settings.invalid_mark:
        return False, REASON_MARK
    return True, None


# --------------------------------------------------------------------------------------------------
# CON-7 base and threshold
# --------------------------------------------------------------------------------------------------


#: CON-7 / CON-4 categories taken out of the base (an election's, a resolution's), by kind of congress:
#: (key, label). Delegates' congress: Quyết định 190-QĐ/TW Điều 30 / 24-QĐ/TW point 9.3.1 (med);
#: members' congress: point 9.3.2 (med).
BASE_EXCLUSIONS: dict[str, list[tuple[str, str]]] = {
    "delegates": [
        ("convening_members_absent_whole", "Ủy viên Ban Chấp hành triệu tập vắng mặt suốt thời gian đại hội"),
        ("absent_without_alternate", "Đại biểu chính thức vắng mặt suốt thời gian đại hội, không có dự khuyết thay"),
    ],
    "members": [
        ("temp_transferred_out", "Đảng viên đang sinh hoạt tạm thời ở đảng bộ khác"),
        ("exempt_absent", "Đảng viên miễn sinh hoạt, công tác vắng mặt"),
        ("suspended_or_prosecuted", "Đảng viên bị đình chỉ sinh hoạt, bị khởi tố, truy tố, tạm giam"),
        ("absent_with_reason", "Đảng viên vắng mặt suốt thời gian đại hội có lý do"),
    ],
}


def members_base_of(congress_kind: str, *, summoned: int, excluded: Mapping[str, int]) -> int:
    """The base of a vote counted on the congress's members (an election, CON-7; a resolution, CON-4):
    `summoned` minus the `excluded` counts, whose keys must be the `BASE_EXCLUSIONS` categories of
    `congress_kind` ("delegates" or "members"). ValueError naming a bad category or count."""
    kind = congress_kind if congress_kind in BASE_EXCLUSIONS else "members"
    keys = [k for k, _ in BASE_EXCLUSIONS[kind]]
    unknown = sorted(set(excluded) - set(keys))
    if unknown:
        raise ValueError(f"Loại trừ không hợp lệ: {', '.join(unknown)}.")
    counts = {k: excluded.get(k, 0) or 0 for k in keys}
    for k, v in counts.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ValueError(f"Số loại trừ «{dict(BASE_EXCLUSIONS[kind])[k]}» phải là số nguyên không âm.")
    if kind == "delegates":
        return election_base_delegates(summoned_official=summoned, **counts)
    return election_base_members(official_summoned=summoned, **counts)


def election_base_delegates(*, summoned_official: int, convening_members_absent_whole: int = 0,
                            absent_without_alternate: int = 0) -> int:
    """The base of a delegates' congress election: official delegates summoned, minus members of the
    convening committee absent for the whole congress, minus official delegates absent for the whole
    congress with no alternate replacing them.

    CON-7 — Điều lệ Đảng, Điều 12.3 (high); Quyết định 190-QĐ/TW, Điều 30 (med).
    """
    non_negative(summoned_official=summoned_official,
                  convening_members_absent_whole=convening_members_absent_whole,
                  absent_without_alternate=absent_without_alternate)
    base = summoned_official - convening_members_absent_whole - absent_without_alternate
    if base < 0:
        raise ValueError(f"Số trừ ra ({convening_members_absent_whole + absent_without_alternate}) "
                         f"lớn hơn số đại biểu chính thức được triệu tập ({summoned_official}).")
    return base


def election_base_members(*, official_summoned: int, temp_transferred_out: int = 0, exempt_absent: int = 0,
                          suspended_or_prosecuted: int = 0, absent_with_reason: int = 0) -> int:
    """The base of a members' congress election: official members summoned, minus members on
    temporary transfer elsewhere, exempt members who are absent, members suspended, prosecuted,
    indicted or detained, and members absent for the whole congress with an accepted reason.

    CON-7 — Điều lệ Đảng, Điều 12.3 (high); Quyết định 190-QĐ/TW, Điều 30 (med). Probationary
    members are never in the base (MEM-2): pass official members only.
    """
    parts = dict(temp_transferred_out=temp_transferred_out, exempt_absent=exempt_absent,
                 suspended_or_prosecuted=suspended_or_prosecuted, absent_with_reason=absent_with_reason)
    non_negative(official_summoned=official_summoned, **parts)
    base = official_summoned - sum(parts.values())
    if base < 0:
        raise ValueError(f"Số trừ ra ({sum(parts.values())}) lớn hơn số đảng viên chính thức "
                         f"được triệu tập ({official_summoned}).")
    return base


def threshold(base: int) -> int:
    """Votes needed to be elected: more than half of the base, ⌊base/2⌋ + 1 (184 → 93, 7 → 4).

    CON-7 — Điều lệ Đảng, Điều 12.3 (high): "quá một nửa so với tổng số đại biểu được triệu tập
    hoặc so với tổng số đảng viên chính thức … được triệu tập" — the base, not the valid ballots.
    """
    non_negative(base=base)
    if base == 0:
        raise ValueError("Cơ sở tính kết quả bầu cử phải lớn hơn 0.")
    return base // 2 + 1


# --------------------------------------------------------------------------------------------------
# CON-7 / CON-8 tally
# --------------------------------------------------------------------------------------------------


class CandidateResult(NamedTuple):
    no: int
    full_name: str
    votes: int
    percent_of_base: float
    disagree: int = 0  # agree/disagree lists only


@dataclass(frozen=True)
class TallyResult:
    """A round's result. `candidates` in ballot order; `elected` (numbers) in descending votes;
    `runoff` the numbers tied at the cut-off that must be re-voted (CON-8); `unfilled` = seats −
    len(elected) (it includes the seats the runoff is for)."""

    seats: int
    base: int | None
    threshold: int | None
    ballots: int
    valid: int
    invalid: int
    invalid_reasons: dict[str, int]
    candidates: list[CandidateResult]
    elected: list[int]
    runoff: list[int]
    unfilled: int

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `dangbo election tally --json`."""
        return {
            "base": self.base,
            "threshold": self.threshold,
            "valid": self.valid,
            "invalid": self.invalid,
            "invalid_reasons": dict(self.invalid_reasons),
            "candidates": [{"no": c.no, "full_name": c.full_name, "votes": c.votes,
                            "percent_of_base": c.percent_of_base} for c in self.candidates],
            "elected": list(self.elected),
            "runoff": list(self.runoff),
            "unfilled": self.unfilled,
        }


def _check_candidates(candidates: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    out, seen = [], set()
    for no, name in candidates:
        if isinstance(no, bool) or not isinstance(no, int) or no <= 0:
            raise ValueError(f"Số thứ tự ứng cử viên phải là số nguyên dương (nhận được «{no}»).")
        if no in seen:
            raise ValueError(f"Số thứ tự ứng cử viên {no} bị trùng.")
        seen.add(no)
        out.append((no, str(name)))
    return out


def _check_ballot_numbers(ballots: Sequence[tuple]) -> None:
    """No ballot counted twice: each ballot number appears once (CON-9)."""
    counts = Counter(b[0] for b in ballots)
    dup = sorted(str(n) for n, c in counts.items() if c > 1)
    if dup:
        raise ValueError(f"Số phiếu bị trùng (một phiếu không được tính hai lần): {', '.join(dup)}.")


def _decide(order: list[tuple[int, int]], seats: int, need: int) -> tuple[list[int], list[int]]:
    """From (no, votes) in descending votes (ties in ballot order): the elected and the runoff.

    Those with votes ≥ `need` qualify; if they are more than the seats, the highest counts win
    (CON-7); a tie at the cut-off that crosses the last seat is not decided: the tied go to a runoff
    (CON-8, Điều lệ Đảng, Điều 12.3, high).
    """
    passing = [(no, v) for no, v in order if v >= need]
    if len(passing) <= seats:
        return [no for no, _ in passing], []
    cut = passing[seats - 1][1]
    above = [no for no, v in passing if v > cut]
    tied = [no for no, v in passing if v == cut]
    if len(above) + len(tied) == seats:
        return above + tied, []
    return above, tied


def _count_striking(cands: list[tuple[int, str]], ballots: Sequence[tuple], *, seats: int,
                    settings: CongressRuleSettings) -> tuple[dict[int, int], int, Counter]:
    """Votes per candidate on the valid striking ballots, the number valid, the invalid reasons."""
    numbers = {no for no, _ in cands}
    votes = dict.fromkeys(numbers, 0)
    valid, reasons = 0, Counter()
    for ballot_no, kept, flags in ballots:
        kept_list = list(kept)
        kept_set = set(kept_list)
        if len(kept_set) != len(kept_list):
            raise ValueError(f"Phiếu số {ballot_no}: một ứng cử viên được ghi hai lần.")
        unknown = kept_set - numbers
        if unknown:
            raise ValueError(f"Phiếu số {ballot_no}: không có ứng cử viên số "
                             f"{', '.join(map(str, sorted(unknown)))} trong danh sách.")
        ok, reason = ballot_validity(kept_set, flags, list_size=len(cands), seats=seats,
                                     has_surplus=len(cands) > seats, settings=settings)
        if not ok:
            reasons[reason] += 1
            continue
        valid += 1
        for no in kept_set:
            votes[no] += 1
    return votes, valid, reasons


def _check_round(candidates, ballots, *, seats: int, base: int):
    """The checks every round starts with (CON-7): a valid list, seats > 0, no ballot number twice,
    no more ballots than the base. Returns the checked candidates and the threshold."""
    cands = _check_candidates(candidates)
    non_negative(seats=seats)
    need = threshold(base)
    if seats == 0:
        raise ValueError("Số lượng cần bầu phải lớn hơn 0.")
    _check_ballot_numbers(ballots)
    if len(ballots) > base:
        raise ValueError(f"Số phiếu ({len(ballots)}) nhiều hơn cơ sở tính kết quả ({base}).")
    return cands, need


def tally(candidates: Sequence[tuple[int, str]], ballots: Sequence[tuple], *, seats: int, base: int,
          settings: CongressRuleSettings = DEFAULTS) -> TallyResult:
    """Count a round of a list with surplus (striking ballots).

    CON-6 (validity, `ballot_validity`), CON-7 — Điều lệ Đảng, Điều 12.3 (high) and 190-QĐ/TW,
    Điều 30 (med): votes are counted on the valid ballots, the threshold is ⌊base/2⌋ + 1 on the base
    (not the valid ballots), percentages are of the base; among those reaching it the highest counts
    win, up to `seats`. CON-8 (high): a tie at the cut-off crossing the last seat goes to `runoff`.

    `candidates`: (no, full_name) in ballot order. `ballots`: (ballot_no, kept, flags) — `kept` the
    candidate numbers left un-struck, `flags` from `FLAGS`. ValueError on a duplicate ballot number
    (no ballot counted twice), a kept number not on the list or repeated, an unknown flag, or more
    ballots than the base.
    """
    cands, need = _check_round(candidates, ballots, seats=seats, base=base)
    votes, valid, reasons = _count_striking(cands, ballots, seats=seats, settings=settings)
    return _result(cands, votes, {}, seats=seats, base=base, need=need, ballots=len(ballots), valid=valid,
                   reasons=reasons)


def _result(cands, votes, disagree, *, seats, base, need, ballots, valid, reasons) -> TallyResult:
    position = {no: i for i, (no, _) in enumerate(cands)}
    order = sorted(((no, votes[no]) for no, _ in cands), key=lambda t: (-t[1], position[t[0]]))
    elected, runoff = _decide(order, seats, 0 if need is None else need)
    results = [CandidateResult(no, name, votes[no], percent_of(votes[no], base) if base else 0.0,
                               disagree.get(no, 0)) for no, name in cands]
    return TallyResult(seats=seats, base=base, threshold=need, ballots=ballots, valid=valid,
                       invalid=ballots - valid, invalid_reasons={r: reasons[r] for r in REASONS if reasons[r]},
                       candidates=results, elected=elected, runoff=runoff, unfilled=seats - len(elected))


def tally_runoff(candidates: Sequence[tuple[int, str]], ballots: Sequence[tuple], *, seats: int,
                 base: int | None = None, settings: CongressRuleSettings = DEFAULTS) -> TallyResult:
    """Count a runoff among the candidates tied at the cut-off, for the `seats` left.

    CON-8 — Điều lệ Đảng, Điều 12.3 (high): re-vote among the tied only; **the highest wins and no
    majority is needed** (`threshold` is None). A tie that again crosses the last seat is returned in
    `runoff`: whether to vote again goes back to the congress. Ballot validity as in `tally` (CON-6);
    `base`, if given, is used for the percentages in the minutes and to refuse more ballots than it.
    """
    cands = _check_candidates(candidates)
    non_negative(seats=seats)
    if seats == 0:
        raise ValueError("Số lượng cần bầu phải lớn hơn 0.")
    _check_ballot_numbers(ballots)
    if base is not None and len(ballots) > base:
        raise ValueError(f"Số phiếu ({len(ballots)}) nhiều hơn cơ sở tính kết quả ({base}).")
    votes, valid, reasons = _count_striking(cands, ballots, seats=seats, settings=settings)
    return _result(cands, votes, {}, seats=seats, base=base, need=None, ballots=len(ballots), valid=valid,
                   reasons=reasons)


def agree_ballot_validity(marks: Mapping[int, str], flags: Iterable[str] = (), *, list_size: int,
                          seats: int, settings: CongressRuleSettings = DEFAULTS) -> tuple[bool, str | None]:
    """Whether an agree/disagree ballot (list without surplus) is valid, and the reason if not.

    CON-6 — Quy chế 244-QĐ/TW, Điều 17 and Điều 32.1, kept by 190-QĐ/TW, Điều 15 and 30.1 (med):
    a name ticked in both boxes or in neither gets no vote and the ballot **stays valid**. Invalid:
    "unstamped" (med); "too_many" agreed names over the seats (med); "no_choice" — a single-name
    list ticked in both boxes or neither (low; setting `invalid_single_name_no_choice`);
    "added_name", "mark" (low, settings as in `ballot_validity`). Names missing from `marks` count
    as "none".
    """
    flags = _check_flags(flags)
    bad = {m for m in marks.values() if m not in MARKS}
    if bad:
        raise ValueError(f"Đánh dấu không hợp lệ: {', '.join(sorted(bad))} (chỉ dùng: {', '.join(MARKS)}).")
    if FLAG_UNSTAMPED in flags:
        return False, REASON_UNSTAMPED
    if sum(1 for m in marks.values() if m == AGREE) > seats:
        return False, REASON_TOO_MANY
    if list_size == 1 and settings.invalid_single_name_no_choice:
        only = next(iter(marks.values()), NEITHER)
        if only in (BOTH, NEITHER):
            return False, REASON_NO_CHOICE
    if FLAG_ADDED_NAME in flags and settings.invalid_added_name:
        return False, REASON_ADDED_NAME
    if FLAG_MARK in flags and settings.invalid_mark:
        return False, REASON_MARK
    return True, None


def tally_agree(candidates: Sequence[tuple[int, str]], ballots: Sequence[tuple], *, seats: int, base: int,
                settings: CongressRuleSettings = DEFAULTS) -> TallyResult:
    """Count an agree/disagree ballot (a list without surplus: secretary, deputies …).

    CON-5 (med): lists without surplus use the agree/disagree form. CON-6 (med): a name ticked in
    both boxes or neither gets no vote, the ballot stays valid (see `agree_ballot_validity`). CON-7
    (high): a candidate needs ⌊base/2⌋ + 1 "agree" votes; CON-8 as in `tally`.

    `ballots`: (ballot_no, marks, flags) — `marks` maps candidate number → "agree" | "disagree" |
    "both" | "none" (missing = "none"). `CandidateResult.votes` counts agree, `.disagree` disagree.
    """
    cands, need = _check_round(candidates, ballots, seats=seats, base=base)
    numbers = {no for no, _ in cands}
    votes, against = dict.fromkeys(numbers, 0), dict.fromkeys(numbers, 0)
    valid, reasons = 0, Counter()
    for ballot_no, marks, flags in ballots:
        unknown = set(marks) - numbers
        if unknown:
            raise ValueError(f"Phiếu số {ballot_no}: không có ứng cử viên số "
                             f"{', '.join(map(str, sorted(unknown)))} trong danh sách.")
        ok, reason = agree_ballot_validity(marks, flags, list_size=len(cands), seats=seats, settings=settings)
        if not ok:
            reasons[reason] += 1
            continue
        valid += 1
        for no, mark in marks.items():
            if mark == AGREE:
                votes[no] += 1
            elif mark == DISAGREE:
                against[no] += 1
    return _result(cands, votes, against, seats=seats, base=base, need=need, ballots=len(ballots),
                   valid=valid, reasons=reasons)


