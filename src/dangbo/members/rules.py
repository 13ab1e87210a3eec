"""Rules of a Party member's life: states, events, probation, party age, badges, transfers.

Pure Python (no Django): the services layer runs every member event through `apply_event` before
saving, and the `state`/`away` columns are a cache of `replay(events)`.

Rule ids (MEM-*) refer to /work/shared/DOMAIN.md; every rule function's docstring cites its id, the
regulation and DOMAIN.md's confidence. Numbers that DOMAIN.md marks **med** or **low** are fields of
`MemberRuleSettings` (defaults in `DEFAULTS`); each function using one takes `settings=` so the caller
can pass the values configured for the installation (`MemberRuleSettings.from_mapping`), and
`SETTING_INFO` says where each default comes from and how sure we are, for the UI.

Dates: a period "of N months from day D" ends on the day with the same number N months later, or on
the last day of that month when it has no such day (Bộ luật Dân sự 2015, Điều 147–148) — so a
probation that starts on 29/2/2024 ends on 28/2/2025. `add_months` implements this everywhere.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from dangbo.core import rulesettings

# --------------------------------------------------------------------------------------------------
# States and events
# --------------------------------------------------------------------------------------------------


class State(StrEnum):
    """A member's state in the Party (the start state, before admission, is None)."""

    PROBATIONARY = "probationary"  # đảng viên dự bị
    OFFICIAL = "official"  # đảng viên chính thức
    EXEMPT = "exempt"  # official member exempted from activities (miễn sinh hoạt), MEM-4
    REMOVED = "removed"  # xóa tên, MEM-6 / Điều lệ Điều 5.2
    LEFT = "left"  # ra khỏi Đảng (xin ra), Điều lệ Điều 8.3
    EXPELLED = "expelled"  # khai trừ
    DECEASED = "deceased"  # từ trần
    TRANSFERRED_OUT = "transferred_out"  # chuyển sinh hoạt chính thức ra ngoài hệ thống này


class EventKind(StrEnum):
    """What can happen to a member; the `details` each kind needs are listed in `EVENT_DETAILS`."""

    ADMISSION = "admission"
    RECOGNITION = "recognition"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_INTERNAL = "transfer_internal"
    TEMP_TRANSFER_OUT = "temp_transfer_out"
    TEMP_TRANSFER_RETURN = "temp_transfer_return"
    EXEMPTION = "exemption"
    EXEMPTION_END = "exemption_end"
    SUSPENSION = "suspension"
    SUSPENSION_END = "suspension_end"
    DISCIPLINE = "discipline"
    BADGE = "badge"
    REMOVAL = "removal"
    LEAVING = "leaving"
    DEATH = "death"


class DisciplineLevel(StrEnum):
    """Forms of discipline of a member (Điều lệ Đảng, Điều 35.2)."""

    REPRIMAND = "reprimand"  # khiển trách
    WARNING = "warning"  # cảnh cáo
    DISMISSAL = "dismissal"  # cách chức
    EXPULSION = "expulsion"  # khai trừ — ends membership


PROBATIONARY, OFFICIAL, EXEMPT = State.PROBATIONARY, State.OFFICIAL, State.EXEMPT
REMOVED, LEFT, EXPELLED = State.REMOVED, State.LEFT, State.EXPELLED
DECEASED, TRANSFERRED_OUT = State.DECEASED, State.TRANSFERRED_OUT

STATES: tuple[str, ...] = tuple(s.value for s in State)
EVENT_KINDS: tuple[str, ...] = tuple(k.value for k in EventKind)
DISCIPLINE_LEVELS: tuple[str, ...] = tuple(lv.value for lv in DisciplineLevel)

#: States of a current member of the Party in this system (counted in membership, MEM-5).
ACTIVE_STATES: frozenset[str] = frozenset({PROBATIONARY, OFFICIAL, EXEMPT})
#: Alias used by the selectors: the states counted toward an organisation's membership.
COUNTED_STATES: tuple[str, ...] = (PROBATIONARY.value, OFFICIAL.value, EXEMPT.value)
#: Official members (an exempt member is an official member exempted from activities).
OFFICIAL_STATES: frozenset[str] = frozenset({OFFICIAL, EXEMPT})
#: States that end the member's life in this system (no event applies except those in TRANSITIONS).
FINAL_STATES: frozenset[str] = frozenset({REMOVED, LEFT, EXPELLED, DECEASED, TRANSFERRED_OUT})

STATE_LABELS: dict[str, str] = {
    PROBATIONARY: "Dự bị",
    OFFICIAL: "Chính thức",
    EXEMPT: "Miễn sinh hoạt",
    REMOVED: "Xóa tên",
    LEFT: "Ra khỏi Đảng",
    EXPELLED: "Khai trừ",
    DECEASED: "Từ trần",
    TRANSFERRED_OUT: "Chuyển sinh hoạt đi",
}
#: Label of the start state (before admission / transfer in), used in error messages.
NO_STATE_LABEL = "Chưa vào Đảng"

EVENT_LABELS: dict[str, str] = {
    EventKind.ADMISSION: "Kết nạp",
    EventKind.RECOGNITION: "Công nhận chính thức",
    EventKind.TRANSFER_IN: "Chuyển sinh hoạt đến",
    EventKind.TRANSFER_OUT: "Chuyển sinh hoạt đi",
    EventKind.TRANSFER_INTERNAL: "Chuyển sinh hoạt nội bộ",
    EventKind.TEMP_TRANSFER_OUT: "Chuyển sinh hoạt tạm thời",
    EventKind.TEMP_TRANSFER_RETURN: "Trở về sau sinh hoạt tạm thời",
    EventKind.EXEMPTION: "Miễn sinh hoạt",
    EventKind.EXEMPTION_END: "Thôi miễn sinh hoạt",
    EventKind.SUSPENSION: "Đình chỉ sinh hoạt đảng",
    EventKind.SUSPENSION_END: "Hết đình chỉ sinh hoạt đảng",
    EventKind.DISCIPLINE: "Kỷ luật",
    EventKind.BADGE: "Trao Huy hiệu Đảng",
    EventKind.REMOVAL: "Xóa tên",
    EventKind.LEAVING: "Ra khỏi Đảng",
    EventKind.DEATH: "Từ trần",
}

DISCIPLINE_LABELS: dict[str, str] = {
    DisciplineLevel.REPRIMAND: "Khiển trách",
    DisciplineLevel.WARNING: "Cảnh cáo",
    DisciplineLevel.DISMISSAL: "Cách chức",
    DisciplineLevel.EXPULSION: "Khai trừ",
}

#: Keys of `details` an event needs: transfer_in {"status": "official"|"probationary"},
#: discipline {"level": one of DISCIPLINE_LEVELS}, badge {"tier": one of BADGE_TIERS}.
EVENT_DETAILS: dict[str, str] = {
    EventKind.TRANSFER_IN: "status",
    EventKind.DISCIPLINE: "level",
    EventKind.BADGE: "tier",
}

# --------------------------------------------------------------------------------------------------
# The transition table
# --------------------------------------------------------------------------------------------------

_IN = {PROBATIONARY.value: PROBATIONARY, OFFICIAL.value: OFFICIAL}  # transfer_in: details["status"]

#: THE transition table: (state, event kind) -> new state. State None is the start (not yet a member
#: here). A value that is a mapping depends on the event's details: its key is the detail named in
#: `EVENT_DETAILS` (transfer_in: the member's status; discipline: the level). A pair absent from the
#: table is refused with TransitionError. The "away" flag (temporary transfer, MEM-5) is handled by
#: `apply_status` on top of this table: temp_transfer_out needs away=False, temp_transfer_return
#: needs away=True, and a final state clears it. The "suspended" flag (đình chỉ sinh hoạt đảng) works
#: the same way: suspension needs suspended=False, suspension_end needs suspended=True.
#:
#: Sources: admission/recognition/removal of a probationary member — Điều lệ Đảng, Điều 4–5 (kết nạp
#: "kể cả kết nạp lại", so a removed or resigned person may be admitted again; not an expelled one —
#: low); discipline levels per state — Điều 35.2 (probationary: reprimand, warning only); exemption —
#: Điều 7 (of an official member); removal — Điều 8.1; leaving — Điều 8.3; transfers — Điều 6 and
#: Quy định 294-QĐ/TW §6.3; badges to official members only — HD 06-HD/TW (MEM-3); suspension from
#: party activities (đình chỉ sinh hoạt đảng) and its end — Điều lệ Đảng, Điều 40.4 (high: "phải được
#: cấp uỷ hoặc uỷ ban kiểm tra có thẩm quyền quyết định theo quy định của Ban Chấp hành Trung ương"),
#: of any current member; it keeps the state (a suspended member stays a member, still counted and
#: still paying the fee — med) and sets a flag, which APR-1 reads (suspended members are not reviewed).
#: Its length (90 days, extendable once by 30, Quy định 21-QĐ/TW of 2026 — low, from a quiz) is not
#: enforced.
TRANSITIONS: dict[tuple[str | None, str], Any] = {
    # start: admission, or a member transferring in from outside the system
    (None, EventKind.ADMISSION): PROBATIONARY,
    (None, EventKind.TRANSFER_IN): _IN,
    # re-admission (Điều lệ Điều 4 "kể cả kết nạp lại") and return after a transfer out
    (REMOVED, EventKind.ADMISSION): PROBATIONARY,
    (LEFT, EventKind.ADMISSION): PROBATIONARY,
    (TRANSFERRED_OUT, EventKind.TRANSFER_IN): _IN,
    # probationary member
    (PROBATIONARY, EventKind.RECOGNITION): OFFICIAL,
    (PROBATIONARY, EventKind.TRANSFER_OUT): TRANSFERRED_OUT,
    (PROBATIONARY, EventKind.TRANSFER_INTERNAL): PROBATIONARY,
    (PROBATIONARY, EventKind.TEMP_TRANSFER_OUT): PROBATIONARY,
    (PROBATIONARY, EventKind.TEMP_TRANSFER_RETURN): PROBATIONARY,
    (PROBATIONARY, EventKind.DISCIPLINE): {"reprimand": PROBATIONARY, "warning": PROBATIONARY},
    (PROBATIONARY, EventKind.SUSPENSION): PROBATIONARY,
    (PROBATIONARY, EventKind.SUSPENSION_END): PROBATIONARY,
    (PROBATIONARY, EventKind.REMOVAL): REMOVED,
    (PROBATIONARY, EventKind.LEAVING): LEFT,
    (PROBATIONARY, EventKind.DEATH): DECEASED,
    # official member
    (OFFICIAL, EventKind.TRANSFER_OUT): TRANSFERRED_OUT,
    (OFFICIAL, EventKind.TRANSFER_INTERNAL): OFFICIAL,
    (OFFICIAL, EventKind.TEMP_TRANSFER_OUT): OFFICIAL,
    (OFFICIAL, EventKind.TEMP_TRANSFER_RETURN): OFFICIAL,
    (OFFICIAL, EventKind.EXEMPTION): EXEMPT,
    (OFFICIAL, EventKind.SUSPENSION): OFFICIAL,
    (OFFICIAL, EventKind.SUSPENSION_END): OFFICIAL,
    (OFFICIAL, EventKind.DISCIPLINE): {
        "reprimand": OFFICIAL, "warning": OFFICIAL, "dismissal": OFFICIAL, "expulsion": EXPELLED,
    },
    (OFFICIAL, EventKind.BADGE): OFFICIAL,
    (OFFICIAL, EventKind.REMOVAL): REMOVED,
    (OFFICIAL, EventKind.LEAVING): LEFT,
    (OFFICIAL, EventKind.DEATH): DECEASED,
    # official member exempted from activities
    (EXEMPT, EventKind.TRANSFER_OUT): TRANSFERRED_OUT,
    (EXEMPT, EventKind.TRANSFER_INTERNAL): EXEMPT,
    (EXEMPT, EventKind.TEMP_TRANSFER_OUT): EXEMPT,
    (EXEMPT, EventKind.TEMP_TRANSFER_RETURN): EXEMPT,
    (EXEMPT, EventKind.EXEMPTION_END): OFFICIAL,
    (EXEMPT, EventKind.SUSPENSION): EXEMPT,
    (EXEMPT, EventKind.SUSPENSION_END): EXEMPT,
    (EXEMPT, EventKind.DISCIPLINE): {
        "reprimand": EXEMPT, "warning": EXEMPT, "dismissal": EXEMPT, "expulsion": EXPELLED,
    },
    (EXEMPT, EventKind.BADGE): EXEMPT,
    (EXEMPT, EventKind.REMOVAL): REMOVED,
    (EXEMPT, EventKind.LEAVING): LEFT,
    (EXEMPT, EventKind.DEATH): DECEASED,
}


class TransitionError(ValueError):
    """An event that the member's current state does not allow (Vietnamese message for the user)."""

    def __init__(self, state: str | None, kind: str, *, away: bool = False, details: Mapping | None = None,
                 reason: str = ""):
        self.state, self.kind, self.away, self.details = state, kind, away, dict(details or {})
        label = event_label(kind, details)
        state_label = STATE_LABELS.get(state, NO_STATE_LABEL if state is None else str(state))
        msg = f"Không thể ghi sự kiện «{label}» khi đảng viên đang ở trạng thái «{state_label}»"
        if reason:
            msg += f" ({reason})"
        super().__init__(msg + ".")


class EventDetailsError(ValueError):
    """An event whose details are missing or invalid (e.g. an unknown discipline level)."""


def event_label(kind: str, details: Mapping | None = None) -> str:
    """Vietnamese label of an event, with its detail: «Kỷ luật (Khai trừ)», «Trao Huy hiệu Đảng (30 năm)»."""
    label = EVENT_LABELS.get(kind, str(kind))
    details = details or {}
    if kind == EventKind.DISCIPLINE and details.get("level") in DISCIPLINE_LABELS:
        label += f" ({DISCIPLINE_LABELS[details['level']]})"
    elif kind == EventKind.BADGE and details.get("tier") not in (None, ""):
        label += f" ({details['tier']} năm)"
    elif kind == EventKind.TRANSFER_IN and details.get("status") in STATE_LABELS:
        label += f" ({STATE_LABELS[details['status']].lower()})"
    return label


def _check_details(kind: str, details: Mapping) -> None:
    if kind == EventKind.DISCIPLINE:
        if details.get("level") not in DISCIPLINE_LEVELS:
            raise EventDetailsError("Chọn hình thức kỷ luật (khiển trách, cảnh cáo, cách chức hoặc khai trừ).")
    elif kind == EventKind.TRANSFER_IN:
        if details.get("status") not in _IN:
            raise EventDetailsError("Chọn đảng viên chuyển đến là đảng viên chính thức hay dự bị.")
    elif kind == EventKind.BADGE:
        try:
            tier = int(details.get("tier"))
        except (TypeError, ValueError):
            tier = None
        if tier not in BADGE_TIERS:
            raise EventDetailsError("Chọn mốc Huy hiệu Đảng (" + ", ".join(map(str, BADGE_TIERS)) + " năm).")


class MemberStatus(NamedTuple):
    """A member's state with the two flags the events keep beside it: `away` (on temporary transfer,
    MEM-5) and `suspended` (đình chỉ sinh hoạt đảng, Điều lệ Đảng Điều 40.4)."""

    state: str | None
    away: bool = False
    suspended: bool | None = False  # None: not tracked (the (state, away) API below)


def apply_status(status: MemberStatus | tuple, kind: str, details: Mapping | None = None) -> MemberStatus:
    """Apply one event to a `MemberStatus` through `TRANSITIONS`; return the new status.

    MEM-1..MEM-6 — Điều lệ Đảng, Điều 4–8, 35 and 40.4; Quy định 294-QĐ/TW §6.3 (temporary transfer).
    `away` is True while the member is on temporary transfer to a host organisation (MEM-5): the
    state does not change, temp_transfer_out is refused when already away and temp_transfer_return
    when not away. `suspended` likewise: suspension is refused when already suspended and
    suspension_end when not; with `suspended` None (not tracked) neither is refused and it stays None.
    Events that end membership here (a final state) clear both flags.
    Raises TransitionError when the state refuses the event, EventDetailsError (a ValueError) when the
    details it needs (see `EVENT_DETAILS`) are missing or invalid, ValueError for an unknown kind.
    """
    state, away, suspended = MemberStatus(*status)
    details = details or {}
    state = state or None
    if kind not in EVENT_LABELS:
        raise ValueError(f"Loại sự kiện không hợp lệ: «{kind}».")
    if state is not None and state not in STATE_LABELS:
        raise ValueError(f"Trạng thái đảng viên không hợp lệ: «{state}».")
    target = TRANSITIONS.get((state, kind))
    if target is None:  # the state refuses the event whatever its details
        raise TransitionError(state, kind, away=bool(away), details=details)
    _check_details(kind, details)
    if isinstance(target, Mapping):
        variant = details[EVENT_DETAILS[kind]]
        target = target.get(variant)
    if target is None:
        raise TransitionError(state, kind, away=bool(away), details=details)
    away = bool(away)
    tracked = suspended is not None
    if kind == EventKind.TEMP_TRANSFER_OUT:
        if away:
            raise TransitionError(state, kind, away=away, details=details,
                                  reason="đang sinh hoạt tạm thời ở nơi khác")
        away = True
    elif kind == EventKind.TEMP_TRANSFER_RETURN:
        if not away:
            raise TransitionError(state, kind, away=away, details=details,
                                  reason="không đang sinh hoạt tạm thời ở nơi khác")
        away = False
    elif kind == EventKind.SUSPENSION and tracked:
        if suspended:
            raise TransitionError(state, kind, away=away, details=details, reason="đang bị đình chỉ sinh hoạt đảng")
        suspended = True
    elif kind == EventKind.SUSPENSION_END and tracked:
        if not suspended:
            raise TransitionError(state, kind, away=away, details=details,
                                  reason="không đang bị đình chỉ sinh hoạt đảng")
        suspended = False
    if target in FINAL_STATES:
        away = False
        suspended = False if tracked else None
    return MemberStatus(State(target).value, away, suspended)


def apply_event(state: str | None, away: bool, kind: str, details: Mapping | None = None, *,
                suspended: bool | None = None) -> tuple[str, bool]:
    """Apply one event to (state, away); return the new (state, away). See `apply_status`, which
    this wraps for callers that do not track the suspended flag (pass `suspended` to check it)."""
    new = apply_status(MemberStatus(state, away, suspended), kind, details)
    return new.state, new.away


def _split_event(event: Any) -> tuple[str, Mapping | None]:
    if isinstance(event, str):
        return event, None
    if isinstance(event, Mapping):
        return event["kind"], event.get("details")
    if hasattr(event, "kind"):
        return event.kind, getattr(event, "details", None)
    kind, *rest = event
    return kind, (rest[0] if rest else None)


def replay_status(events: Iterable[Any]) -> MemberStatus:
    """Run a member's events, in date order, from the start state; return the `MemberStatus`.

    MEM-1..MEM-6 (see `apply_status`). Each event is a (kind, details) pair; a bare kind string, a
    {"kind", "details"} mapping or an object with .kind/.details is accepted too. No events:
    (None, False, False). Raises TransitionError at the first refused event.
    """
    status = MemberStatus(None, False, False)
    for event in events:
        kind, details = _split_event(event)
        status = apply_status(status, kind, details)
    return status


def replay(events: Iterable[Any]) -> tuple[str | None, bool]:
    """(state, away) after the events (MEM-1..MEM-6), the suspended flag not tracked: the fold of
    `apply_event`. `replay_status` tracks it too."""
    status = MemberStatus(None, False, None)
    for event in events:
        kind, details = _split_event(event)
        status = apply_status(status, kind, details)
    return status.state, status.away


def allowed_events(state: str | None, away: bool = False, suspended: bool | None = None) -> list[str]:
    """Event kinds that `state` and the flags allow, in `EVENT_KINDS` order (for menus). With
    `suspended` None (not known to the caller) both suspension events are offered and the service
    refuses the one that does not apply."""
    out = []
    for kind in EVENT_KINDS:
        if (state or None, kind) not in TRANSITIONS:
            continue
        if (kind == EventKind.TEMP_TRANSFER_OUT and away) or (kind == EventKind.TEMP_TRANSFER_RETURN and not away):
            continue
        if suspended is not None and ((kind == EventKind.SUSPENSION and suspended)
                                      or (kind == EventKind.SUSPENSION_END and not suspended)):
            continue
        out.append(kind)
    return out


def is_active(state: str | None) -> bool:
    """A current member here: probationary, official or exempt (MEM-5; Điều lệ Đảng, Điều 5, 7)."""
    return state in ACTIVE_STATES


def counts_as_official(state: str | None) -> bool:
    """An official member (official or exempt) — MEM-2, Điều lệ Đảng, Điều 3: only official members
    vote on leadership matters, stand and elect; probationary members are not counted in election bases.
    """
    return state in OFFICIAL_STATES


def counts_toward_membership(*, state: str | None, home_org_id: Any, org_id: Any,
                             temp_host_org_id: Any = None) -> bool:
    """Whether a member counts in the membership of organisation `org_id`.

    MEM-5 — Quy định 294-QĐ/TW §6.3.2 (med): a member counts toward their permanent (home)
    organisation when probationary, official or exempt; a host organisation does not count members on
    temporary transfer to it. (`org_id` is the organisation whose membership is being counted; for
    the whole subtree use the member's home path, as the selectors do.)
    """
    if not is_active(state):
        return False
    # never toward the temporary host, even if the caller passes it as org_id
    return org_id == home_org_id


# --------------------------------------------------------------------------------------------------
# Settings for med/low rules
# --------------------------------------------------------------------------------------------------

BADGE_TIERS: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
#: Days on which badges are awarded, as (month, day): 3/2, 19/5, 2/9, 7/11 (MEM-3).
AWARD_DAYS: tuple[tuple[int, int], ...] = ((2, 3), (5, 19), (9, 2), (11, 7))


def _frozen(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class MemberRuleSettings:
    """Numbers of the member rules, with their documented defaults (see `SETTING_INFO`)."""

    probation_months: int = 12
    recognition_working_days: int = 30
    discipline_delay_months: Mapping[str, int] = field(
        default_factory=lambda: _frozen({"reprimand": 6, "warning": 9, "dismissal": 12}))
    early_award_max_months: Mapping[int, int] = field(
        default_factory=lambda: _frozen({t: (12 if t <= 65 else 24) for t in BADGE_TIERS}))
    award_days: tuple[tuple[int, int], ...] = AWARD_DAYS
    exclude_gaps_from_party_age: bool = True
    temp_transfer_min_months: int = 3
    temp_transfer_max_months: int = 12  # exclusive: "under 12 months"
    temp_transfer_study_max_months: int = 24  # inclusive: "up to 24 months"
    permanent_transfer_working_days: int = 60
    transfer_letter_working_days: int = 30
    decision_not_after_event: bool = True

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> MemberRuleSettings:
        """Build settings from e.g. Django's `settings.DANGBO_RULES`, ignoring keys that are not ours."""
        return rulesettings.from_mapping(cls, values, {
            "discipline_delay_months": _frozen, "early_award_max_months": _frozen,
            "award_days": lambda v: tuple(tuple(x) for x in v)})


DEFAULTS = MemberRuleSettings()

#: For each setting: (rule id, regulation, confidence) — shown next to the value in the UI.
SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "probation_months": ("MEM-1", "Điều lệ Đảng, Điều 5.1", "high"),
    "recognition_working_days": ("MEM-1", "Quy định 294-QĐ/TW, Điều 4.2 (Điều lệ Đảng, Điều 5.2)", "med"),
    "discipline_delay_months": ("MEM-3", "HD 01-HD/TW §18, giữ trong HD 06-HD/TW", "med"),
    "early_award_max_months": ("MEM-3", "HD 01-HD/TW §18, giữ trong HD 06-HD/TW", "med"),
    "award_days": ("MEM-3", "HD 01-HD/TW §18, giữ trong HD 06-HD/TW", "med"),
    "exclude_gaps_from_party_age": ("MEM-3", "thực tiễn (chưa kiểm chứng)", "low"),
    "temp_transfer_min_months": ("MEM-5", "Quy định 294-QĐ/TW §6.3.2", "med"),
    "temp_transfer_max_months": ("MEM-5", "Quy định 294-QĐ/TW §6.3.2", "med"),
    "temp_transfer_study_max_months": ("MEM-5", "Quy định 294-QĐ/TW §6.3.2", "med"),
    "permanent_transfer_working_days": ("MEM-5", "Quy định 294-QĐ/TW §6.3.1", "med"),
    "transfer_letter_working_days": ("MEM-5", "Quy định 294-QĐ/TW §6.3.1", "med"),
    "decision_not_after_event": ("MEM-1", "Điều lệ Đảng, Điều 5 (công nhận chính thức có hiệu lực khi hết 12 tháng "
                                          "dự bị dù quyết định ký sau); các sự kiện khác: thực tiễn, chưa kiểm chứng",
                                 "low"),
}

# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """The day `months` months after (or before, if negative) `d`; the month's last day when the
    target month is shorter (Bộ luật Dân sự 2015, Điều 148): 31/1 + 1 → 28/2 (29/2), 29/2 + 12 → 28/2.
    """
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    """`add_months(d, 12 * years)`: 29/2 falls back to 28/2 in a common year."""
    return add_months(d, 12 * years)


def full_years(start: date, end: date) -> int:
    """Completed years from `start` to `end` (0 if end < start); a year is complete on `add_years`."""
    if end < start:
        return 0
    n = end.year - start.year
    if add_years(start, n) > end:
        n -= 1
    return n


def add_working_days(start: date, n: int, holidays: Iterable[date] = ()) -> date:
    """The n-th working day after `start` (Mon–Fri, minus `holidays`); `start` itself is not counted."""
    off = set(holidays)
    d, left = start, n
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            left -= 1
    return d


def _merged_gaps(gaps: Iterable[tuple[date, date]], lo: date, hi: date) -> list[tuple[date, date]]:
    """Gaps clipped to [lo, hi) and merged; each gap is [start, end): `end` is the day back in the Party."""
    clipped = sorted((max(s, lo), min(e, hi)) for s, e in gaps)
    out: list[tuple[date, date]] = []
    for s, e in clipped:
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _gap_days(admission_date: date, on_date: date, gaps: Iterable[tuple[date, date]]) -> int:
    return sum((e - s).days for s, e in _merged_gaps(gaps, admission_date, on_date))


def party_age_years(admission_date: date, on_date: date, gaps: Iterable[tuple[date, date]] = (), *,
                    settings: MemberRuleSettings = DEFAULTS) -> int:
    """Completed years of party age on `on_date` (0 before admission).

    MEM-1 — Điều lệ Đảng, Điều 5.4 (high): party age counts from the date written in the admission
    decision (pass that date, not the ceremony's). MEM-3 (low, `exclude_gaps_from_party_age`): time
    outside the Party is not party age — each gap (start, end) is the period from leaving (removal,
    resignation) to the day back in the Party, end excluded; the gap days are taken off `on_date`.
    The age is complete on the anniversary (29/2 → 28/2 in a common year). Also usable as a plain
    age-in-years (birth date, on date).
    """
    if on_date < admission_date:
        return 0
    gaps = tuple(gaps)
    if gaps and settings.exclude_gaps_from_party_age:
        on_date = on_date - timedelta(days=_gap_days(admission_date, on_date, gaps))
    return full_years(admission_date, on_date)


def probation_end(ceremony_date: date, *, settings: MemberRuleSettings = DEFAULTS) -> date:
    """The day the 12 months of probation are complete: the same date a year later, 29/2 → 28/2.

    MEM-1 — Điều lệ Đảng, Điều 5.1 (high): probation lasts twelve months from the admission ceremony
    (pass the ceremony date). End of a period in months: Bộ luật Dân sự 2015, Điều 148 — the
    corresponding day, or the month's last day when there is none (so 29/2/2024 → 28/2/2025, not
    1/3/2025). A recognition takes effect from this day at the earliest.
    """
    return add_months(ceremony_date, settings.probation_months)


def recognition_deadline(ceremony_date: date, holidays: Iterable[date] = (), *,
                         settings: MemberRuleSettings = DEFAULTS) -> date:
    """Last day for the cell to consider recognition: 30 working days after the probation ends.

    MEM-1 — Điều lệ Đảng, Điều 5.2; Quy định 294-QĐ/TW, Điều 4.2. Confidence: med (setting
    `recognition_working_days`, default 30). Working days are Monday–Friday minus `holidays` (pass the
    public holidays and compensatory days off, e.g. `members.workdays.public_holidays`); the day the
    probation ends is not counted. Pass the admission **ceremony** date (MEM-1: probation counts from
    the ceremony, not from the decision).
    """
    return add_working_days(probation_end(ceremony_date, settings=settings),
                            settings.recognition_working_days, holidays)


def card_key(card_number: str | None) -> str:
    """The party card number as compared for uniqueness among current members.

    MEM-8 (low): a card number is an opaque string (new cards issued in 2025), so nothing is read
    into it; only what a clerk may type differently is set aside: Unicode form (NFC), case, spaces
    and the separators "." "-" "/". "ab 012.345" and "AB012345" are the same card.
    """
    text = unicodedata.normalize("NFC", card_number or "").upper()
    return "".join(ch for ch in text if not ch.isspace() and ch not in ".-/")


# --------------------------------------------------------------------------------------------------
# Badges (MEM-3)
# --------------------------------------------------------------------------------------------------


class BadgeDue(NamedTuple):
    tier: int
    award_date: date


def discipline_delay_months(level: str, *, settings: MemberRuleSettings = DEFAULTS) -> int:
    """Months a badge is delayed after a discipline: reprimand 6, warning 9, dismissal 12.

    MEM-3 — HD 01-HD/TW §18, carried into HD 06-HD/TW. Confidence: med (setting
    `discipline_delay_months`). Expulsion ends membership: ValueError.
    """
    try:
        return int(settings.discipline_delay_months[level])
    except KeyError:
        raise ValueError(f"Hình thức kỷ luật «{DISCIPLINE_LABELS.get(level, level)}» không có thời hạn "
                         "lùi xét tặng Huy hiệu Đảng.") from None


def max_early_months(tier: int, *, settings: MemberRuleSettings = DEFAULTS) -> int:
    """Longest early award for serious illness: 12 months (30–65 years), 24 months (70–90 years).

    MEM-3 — HD 01-HD/TW §18, carried into HD 06-HD/TW. Confidence: med (setting
    `early_award_max_months`).
    """
    try:
        return int(settings.early_award_max_months[tier])
    except KeyError:
        raise ValueError(f"Không có mốc Huy hiệu {tier} năm tuổi Đảng.") from None


def next_award_day(on_or_after: date, *, settings: MemberRuleSettings = DEFAULTS) -> date:
    """The first badge award day (3/2, 19/5, 2/9, 7/11) on or after the date. MEM-3 (med)."""
    for year in (on_or_after.year, on_or_after.year + 1):
        for month, day in sorted(settings.award_days):
            d = date(year, month, day)
            if d >= on_or_after:
                return d
    raise ValueError("Chưa cấu hình ngày trao Huy hiệu Đảng.")


def badge_reached_date(admission_date: date, tier: int, *, gaps: Iterable[tuple[date, date]] = (),
                       early_months: int = 0, settings: MemberRuleSettings = DEFAULTS) -> date:
    """The date `tier` years of party age are reached, minus `early_months` (serious illness).

    MEM-3 — HD 01-HD/TW §18 / HD 06-HD/TW (med); gaps outside the Party push the date back (low).
    A discipline does not move this date: it sets a floor, see `discipline_hold`.
    """
    base = add_years(admission_date, tier)
    gaps = tuple(gaps)
    if gaps and settings.exclude_gaps_from_party_age:
        # earliest d with d - gap_days(d) >= base; each step adds exactly the missing days
        d = base
        while (short := (base - (d - timedelta(days=_gap_days(admission_date, d, gaps)))).days) > 0:
            d += timedelta(days=short)
        base = d
    return add_months(base, -early_months)


def discipline_hold(disciplines: Iterable[tuple[date, str]], *,
                    settings: MemberRuleSettings = DEFAULTS) -> date | None:
    """The day before which no badge may be awarded because of disciplines, or None.

    MEM-3 — HD 01-HD/TW §18, carried into HD 06-HD/TW (med; setting `discipline_delay_months`):
    after a discipline the delay counts from the **discipline decision** date — reprimand 6 months,
    warning 9, dismissal 12 — and the award date must be on or after max(tier date, decision +
    delay). `disciplines` are (decision date, level) pairs; expulsion ends membership and holds
    nothing here. With several disciplines the latest end holds.
    """
    ends = [add_months(on, discipline_delay_months(level, settings=settings))
            for on, level in disciplines if level in settings.discipline_delay_months]
    return max(ends, default=None)


def next_badge(admission_date: date, *, awarded_tiers: Iterable[int] = (), on_date: date,
               early_months: int = 0, disciplines: Iterable[tuple[date, str]] = (),
               gaps: Iterable[tuple[date, date]] = (),
               settings: MemberRuleSettings = DEFAULTS) -> BadgeDue | None:
    """The next badge tier due and the day to award it, or None when every tier is awarded.

    MEM-3 — HD 01-HD/TW §18, carried into HD 06-HD/TW (med): tiers `BADGE_TIERS` of party age,
    awarded on 3/2, 19/5, 2/9 or 7/11; up to `max_early_months(tier)` early for serious illness.
    After a discipline (`disciplines`: (decision date, level) pairs) the award date is the first award
    day on or after max(tier date, decision date + 6 / 9 / 12 months) — `discipline_hold`. Worked
    case: tier reached 1/3/2026, reprimand decided 1/1/2026 → 1/7/2026 → awarded 2/9/2026. Tiers
    already awarded are not offered again, so a badge awarded before the discipline is not affected:
    the delay holds back only awards still to come. Only official members receive badges: the
    caller filters by state.

    The reached date is admission + tier years − early (gaps outside the Party added, low). Tiers
    below the highest awarded one are not offered again. If one or more tiers not yet awarded were
    already reached on `on_date` (after the hold), the highest of them is the one due (low: practice
    awards the tier reached); otherwise the lowest tier still ahead. The award date is the first award
    day on or after the reached date and never before `on_date` (an overdue badge goes to the next
    occasion). Returns `BadgeDue(tier, award_date)`, a 2-tuple.
    """
    if early_months < 0:
        raise ValueError("Số tháng xét sớm tặng Huy hiệu Đảng không được âm.")
    awarded = {int(t) for t in awarded_tiers}
    floor = max(awarded, default=0)
    gaps = tuple(gaps)
    candidates = [t for t in BADGE_TIERS if t > floor and t not in awarded]
    if not candidates:
        return None
    hold = discipline_hold(disciplines, settings=settings)
    reached = {}
    for t in candidates:
        d = badge_reached_date(admission_date, t, gaps=gaps, early_months=early_months, settings=settings)
        reached[t] = max(d, hold) if hold else d
    overdue = [t for t in candidates if reached[t] <= on_date]
    tier = max(overdue) if overdue else min(candidates)
    if early_months > max_early_months(tier, settings=settings):
        raise ValueError(f"Huy hiệu {tier} năm tuổi Đảng chỉ được xét sớm tối đa "
                         f"{max_early_months(tier, settings=settings)} tháng.")
    return BadgeDue(tier, next_award_day(max(reached[tier], on_date), settings=settings))


def badge_floor(admission_date: date | None, *, awarded_tiers: Iterable[int] = ()) -> tuple[int, date] | None:
    """The lowest badge tier still to award and the day it is reached, or None (every tier awarded).

    MEM-3 — HD 01-HD/TW §18 / HD 06-HD/TW (med): tiers below the highest awarded one are not offered
    again. Without a discipline and an early award, `next_badge(...).award_date` is
    `next_award_day(max(this day, on_date))` whatever `on_date` — so a stored day answers "who is due
    at an occasion" with one range (procedures.selectors). No setting enters: the day stays valid
    when DANGBO_RULES changes (disciplines and early awards are computed by `next_badge`)."""
    if admission_date is None:
        return None
    floor = max((int(t) for t in awarded_tiers), default=0)
    tier = next((t for t in BADGE_TIERS if t > floor), None)
    return None if tier is None else (tier, add_years(admission_date, tier))


# --------------------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------------------

#: Events whose decision may be dated after the event itself: recognition takes effect at the end of
#: the 12 months of probation even when the decision comes later (MEM-1 — Điều lệ Đảng, Điều 5;
#: 29-QĐ/TW 4.2, med).
DECISION_MAY_FOLLOW: frozenset[str] = frozenset({EventKind.RECOGNITION})


def decision_date_problem(kind: str, on: date, decision_date: date, *,
                          settings: MemberRuleSettings = DEFAULTS) -> str | None:
    """Why an event on `on` cannot rest on a decision dated `decision_date` (Vietnamese), or None.

    Every other event — a transfer, an exemption, a suspension, a discipline, a badge, a removal —
    happens by the decision, so the decision comes first: a decision dated after the day it took
    effect is refused. The one exception is recognition (`DECISION_MAY_FOLLOW`, MEM-1: it takes
    effect at the end of probation even if decided late). How sure we are that no other decision
    may be retroactive: low (practice), so the check is the setting `decision_not_after_event`
    (default on)."""
    if not settings.decision_not_after_event or kind in DECISION_MAY_FOLLOW:
        return None
    if decision_date > on:
        return (f"Ngày quyết định ({decision_date:%d/%m/%Y}) không thể sau ngày của sự kiện ({on:%d/%m/%Y}): "
                f"sự kiện «{EVENT_LABELS.get(kind, kind)}» chỉ có hiệu lực từ khi có quyết định.")
    return None


# --------------------------------------------------------------------------------------------------
# Transfers (MEM-5)
# --------------------------------------------------------------------------------------------------


def temp_transfer_problem(start: date, end: date, *, study_in_country: bool = False,
                          settings: MemberRuleSettings = DEFAULTS) -> str | None:
    """Why a temporary transfer from `start` to `end` is not allowed (Vietnamese), or None if it is.

    MEM-5 — Quy định 294-QĐ/TW §6.3.2 (med; settings `temp_transfer_min_months`,
    `temp_transfer_max_months`, `temp_transfer_study_max_months`): from 3 months to under 12 months;
    when sent to study in the country, from 3 months up to 24 months.
    """
    lo = settings.temp_transfer_min_months
    if end <= start:
        return "Ngày kết thúc sinh hoạt tạm thời phải sau ngày bắt đầu."
    if end < add_months(start, lo):
        return f"Sinh hoạt đảng tạm thời phải từ {lo} tháng trở lên."
    if study_in_country:
        hi = settings.temp_transfer_study_max_months
        if end > add_months(start, hi):
            return f"Sinh hoạt đảng tạm thời khi đi học tập trong nước không quá {hi} tháng."
        return None
    hi = settings.temp_transfer_max_months
    if end >= add_months(start, hi):
        return (f"Sinh hoạt đảng tạm thời phải dưới {hi} tháng "
                f"(đi học tập trong nước: không quá {settings.temp_transfer_study_max_months} tháng).")
    return None


def temp_transfer_valid(start: date, end: date, *, study_in_country: bool = False,
                        settings: MemberRuleSettings = DEFAULTS) -> bool:
    """MEM-5 — Quy định 294-QĐ/TW §6.3.2 (med): see `temp_transfer_problem`."""
    return temp_transfer_problem(start, end, study_in_country=study_in_country, settings=settings) is None


def transfer_block_reason(*, under_inspection: bool = False, complaint_pending: bool = False) -> str | None:
    """MEM-5 — Quy định 294-QĐ/TW §6.3.1 (med): no transfer while the member is under inspection or a
    complaint or denunciation about them is being handled. Returns the Vietnamese reason or None."""
    if under_inspection:
        return "Không chuyển sinh hoạt đảng khi đảng viên đang trong thời gian bị kiểm tra."
    if complaint_pending:
        return "Không chuyển sinh hoạt đảng khi đang giải quyết khiếu nại, tố cáo đối với đảng viên."
    return None


def permanent_transfer_deadline(decision_date: date, holidays: Iterable[date] = (), *,
                                settings: MemberRuleSettings = DEFAULTS) -> date:
    """Last day to carry out a permanent transfer: 60 working days from the decision or move.

    MEM-5 — Quy định 294-QĐ/TW §6.3.1 (med; setting `permanent_transfer_working_days`).
    """
    return add_working_days(decision_date, settings.permanent_transfer_working_days, holidays)


def transfer_letter_deadline(letter_date: date, holidays: Iterable[date] = (), *,
                             settings: MemberRuleSettings = DEFAULTS) -> date:
    """Last day for the member to present the transfer letter at the receiving cell: 30 working days.

    MEM-5 — Quy định 294-QĐ/TW §6.3.1 (med; setting `transfer_letter_working_days`).
    """
    return add_working_days(letter_date, settings.transfer_letter_working_days, holidays)
