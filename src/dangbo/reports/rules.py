"""Membership statistics as of a date, replayed from the member events (issue 14). Pure: no Django.

Counting is MEM-5 (Quy định 294-QĐ/TW §6.3.2, med) and the same as `dangbo stats`: a member counts
while probationary, official or exempt (`members.rules.COUNTED_STATES`), at their permanent cell only
(a temporary transfer moves no one here). The state and the cell on a day are the replay of the
member's events dated on or before that day (`members.rules.apply_status`, Điều lệ Đảng Điều 4–8),
so a report for 31/12/2025 reads the same whenever it is made. The profile's attributes (sex,
ethnicity, religion, education, levels) are the record's current values (the registry keeps no
history of them); ages and party ages are counted on the report's day (party age from the admission
decision, MEM-1, Điều lệ Điều 5.4).

Changes in a period (start, end] reconcile the two totals:
``total(end) = total(start) + admitted + transferred_in − transferred_out − died − left − removed − expelled``
(recognition moves a member from probationary to official and changes no total).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from dangbo.members.rules import COUNTED_STATES, MemberStatus, apply_status, full_years

AGE_BANDS: tuple[str, ...] = ("≤30", "31–40", "41–50", "51–60", ">60")
PARTY_AGE_BANDS: tuple[str, ...] = ("<10", "10–19", "20–29", "30–39", "≥40")
SEXES: tuple[str, ...] = ("M", "F")
#: The key under which a blank attribute (ethnicity, education …) is counted, so breakdowns still add up.
UNKNOWN = "Chưa rõ"

#: Breakdowns of the `dangbo report members` contract, in its order, with the Vietnamese table title.
BREAKDOWNS: tuple[tuple[str, str], ...] = (
    ("by_sex", "Giới tính"),
    ("by_age_band", "Độ tuổi"),
    ("by_party_age_band", "Tuổi đảng"),
    ("by_ethnicity", "Dân tộc"),
    ("by_religion", "Tôn giáo"),
    ("by_education", "Giáo dục phổ thông"),
    ("by_theory_level", "Lý luận chính trị"),
    ("by_professional_level", "Chuyên môn nghiệp vụ"),
)
SEX_LABELS = {"M": "Nam", "F": "Nữ"}

#: The period's changes, in the order reports list them, with their Vietnamese names.
CHANGES: tuple[tuple[str, str], ...] = (
    ("admitted", "Kết nạp"),
    ("recognised", "Công nhận chính thức"),
    ("transferred_in", "Chuyển đến"),
    ("transferred_out", "Chuyển đi"),
    ("died", "Từ trần"),
    ("left", "Ra khỏi Đảng"),
    ("removed", "Xóa tên"),
    ("expelled", "Khai trừ"),
)
_ENDING = {"death": "died", "leaving": "left", "removal": "removed", "discipline": "expelled"}


@dataclass(frozen=True)
class Person:
    """The profile values a report reads (current record values)."""

    sex: str = ""
    birth_date: date | None = None
    admission_date: date | None = None
    ethnicity: str = ""
    religion: str = ""
    education: str = ""
    professional_level: str = ""
    theory_level: str = ""


@dataclass(frozen=True)
class Step:
    """One member event: its day, kind, details and the member's cell before and after it (org ids)."""

    date: date
    kind: str
    details: Mapping[str, Any] = field(default_factory=dict)
    org_before: Any = None
    org_after: Any = None


@dataclass(frozen=True)
class Standing:
    """A member's state and permanent cell on a day (None, None before their first event)."""

    state: str | None
    org: Any

    @property
    def counted(self) -> bool:
        return self.state in COUNTED_STATES


def standing_on(steps: Iterable[Step], day: date) -> Standing:
    """The member's (state, cell) after every step dated on or before `day` (steps in event order)."""
    status, org = MemberStatus(None, False, False), None
    for s in steps:
        if s.date > day:
            break
        status = next_status(status, s.kind, s.details)
        org = s.org_after
    return Standing(status.state, org)


def next_status(status: MemberStatus, kind: str, details: Mapping[str, Any]) -> MemberStatus:
    """`apply_status`, remembered for the few (status, kind, details) a history is made of (a past day
    of the nation replays tens of thousands of members: the transitions' checks were a third of it).
    Details with a value that cannot be hashed are not remembered; an invalid step raises as before."""
    try:
        frozen = tuple(sorted(details.items()))
        return _next_remembered(status, kind, frozen)
    except TypeError:  # an unhashable value (a list in the details): not remembered
        return apply_status(status, kind, details)


@lru_cache(maxsize=4096)
def _next_remembered(status: MemberStatus, kind: str, frozen: tuple) -> MemberStatus:
    return apply_status(status, kind, dict(frozen))


def age_band(birth: date | None, day: date) -> str:
    """The contract's age band on `day` (full years); no birth date → `UNKNOWN`."""
    if birth is None:
        return UNKNOWN
    age = full_years(birth, day)
    if age <= 30:
        return AGE_BANDS[0]
    if age > 60:
        return AGE_BANDS[4]
    return AGE_BANDS[(age - 31) // 10 + 1]


def party_age_band(admission: date | None, day: date) -> str:
    """The contract's party-age band on `day`, counted from the admission decision (MEM-1)."""
    if admission is None:
        return UNKNOWN
    years = max(0, full_years(admission, day))
    return PARTY_AGE_BANDS[min(years // 10, 4)]


def value_key(value: str) -> str:
    """The key a profile value is counted under: stripped, blank → `UNKNOWN`."""
    return (value or "").strip() or UNKNOWN


_key = value_key


def _empty_report() -> dict:
    out: dict[str, Any] = {"total": 0, "official": 0, "probationary": 0}
    out["by_sex"] = dict.fromkeys(SEXES, 0)
    out["by_age_band"] = dict.fromkeys(AGE_BANDS, 0)
    out["by_party_age_band"] = dict.fromkeys(PARTY_AGE_BANDS, 0)
    for name, _title in BREAKDOWNS[3:]:
        out[name] = {}
    return out


def add_person(report: dict, person: Person, state: str, day: date, n: int = 1) -> None:
    """Count `n` members with `person`'s profile in `state` (a counted state) into `report`."""
    report["total"] += n
    report["probationary" if state == "probationary" else "official"] += n
    values = {
        "by_sex": person.sex if person.sex in SEXES else UNKNOWN,
        "by_age_band": age_band(person.birth_date, day),
        "by_party_age_band": party_age_band(person.admission_date, day),
        "by_ethnicity": _key(person.ethnicity),
        "by_religion": _key(person.religion),
        "by_education": _key(person.education),
        "by_professional_level": _key(person.professional_level),
        "by_theory_level": _key(person.theory_level),
    }
    for name, value in values.items():
        report[name][value] = report[name].get(value, 0) + n


def add_grouped(report: dict, group: Mapping[str, Any], n: int) -> None:
    """Count `n` members of one GROUP BY row: `state`, `sex`, `age` and `party` (bands already worked
    out with `age_band` / `party_age_band`'s thresholds) and the profile's text columns."""
    state = group["state"]
    report["total"] += n
    report["probationary" if state == "probationary" else "official"] += n
    values = {
        "by_sex": group["sex"] if group["sex"] in SEXES else UNKNOWN,
        "by_age_band": group["age"],
        "by_party_age_band": group["party"],
        "by_ethnicity": _key(group["ethnicity"]),
        "by_religion": _key(group["religion"]),
        "by_education": _key(group["education"]),
        "by_professional_level": _key(group["professional_level"]),
        "by_theory_level": _key(group["political_theory_level"]),
    }
    for name, value in values.items():
        report[name][value] = report[name].get(value, 0) + n


def composition(rows: Iterable[tuple[Person, str]], day: date) -> dict:
    """Totals and breakdowns of members given as (profile, state on `day`); only counted states count.

    Every breakdown adds up to `total`; `official` counts official and exempt members (MEM-2).
    """
    report = _empty_report()
    for person, state in rows:
        if state in COUNTED_STATES:
            add_person(report, person, state, day)
    return report


def report_on(members: Iterable[tuple[Person, list[Step]]], day: date, in_scope: Callable[[Any], bool]) -> dict:
    """The composition of the members whose replayed cell on `day` is in scope (`in_scope(org_id)`)."""
    rows = []
    for person, steps in members:
        st = standing_on(steps, day)
        if st.counted and in_scope(st.org):
            rows.append((person, st.state))
    return composition(rows, day)


def step_change(before: Standing, after: Standing, step: Step, in_scope: Callable[[Any], bool]) -> str | None:
    """What one step did to the scope's membership: a key of `CHANGES`, or None (nothing counted)."""
    was = before.counted and in_scope(before.org)
    now = after.counted and in_scope(after.org)
    if was and now:
        return "recognised" if step.kind == "recognition" else None
    if now:
        return "admitted" if step.kind == "admission" else "transferred_in"
    if was:
        if after.counted or step.kind in ("transfer_out", "transfer_internal"):
            return "transferred_out"
        return _ENDING.get(step.kind, "transferred_out")
    return None


def changes_between(members: Iterable[tuple[Person, list[Step]]], start: date, end: date,
                    in_scope: Callable[[Any], bool]) -> dict[str, int]:
    """Counts of the period's changes (start, end] for the scope, one per counted step."""
    out = dict.fromkeys((k for k, _ in CHANGES), 0)
    for _person, steps in members:
        status, org = MemberStatus(None, False, False), None
        for s in steps:
            before = Standing(status.state, org)
            status, org = apply_status(status, s.kind, s.details), s.org_after
            if start < s.date <= end:
                change = step_change(before, Standing(status.state, org), s, in_scope)
                if change:
                    out[change] += 1
            elif s.date > end:
                break
    return out


def reconciles(start_total: int, end_total: int, changes: Mapping[str, int]) -> bool:
    """Whether the period's changes carry the start total to the end total exactly."""
    moved = changes["admitted"] + changes["transferred_in"] - sum(
        changes[k] for k in ("transferred_out", "died", "left", "removed", "expelled"))
    return start_total + moved == end_total


def merge(a: dict, b: dict) -> dict:
    """The sum of two reports (a province's report is the sum of its districts')."""
    out = {k: a[k] + b[k] for k in ("total", "official", "probationary")}
    for name, _title in BREAKDOWNS:
        c = Counter(a[name])
        c.update(b[name])
        out[name] = dict(c)
    return out


def contract(report: dict, *, org: str, as_of: date) -> dict:
    """The `dangbo report members --json` object: the contract's fields in its order (plus
    `by_professional_level`, which the issue asks for in the statistics)."""
    out = {"org": org, "as_of": as_of.isoformat()}
    out.update({k: report[k] for k in ("total", "official", "probationary")})
    for name, _title in BREAKDOWNS:
        out[name] = dict(report[name])
    return out
