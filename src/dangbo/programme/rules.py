"""Rules of the term programme: targets, their roll-up up the tree, and the models registry.

Pure Python (no Django). Rule ids (TGT-*, MOD-*) refer to /work/shared/DOMAIN.md. What DOMAIN.md marks
med or low is a field of `ProgrammeRuleSettings` (defaults in `DEFAULTS`, sources in `SETTING_INFO`).

A figure is either computed from the platform's records or reported by an organisation (TGT-1: a
target has a baseline, a goal and a unit and gets a yearly actual). Figures counted over
organisations are rolled up by `org_share`; figures counted over people (members' records) by
summing `Tally`s; reported figures by `reported_rollup`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from dangbo.core import rulesettings

# --------------------------------------------------------------------------------------------------
# Models registry (MOD-1, MOD-2)
# --------------------------------------------------------------------------------------------------


class ModelKind(StrEnum):
    HCM_STUDY = "hcm_study"  # mô hình học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
    DAN_VAN_KHEO = "dan_van_kheo"  # mô hình, điển hình «Dân vận khéo»


MODEL_KIND_LABELS: dict[str, str] = {
    ModelKind.HCM_STUDY: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ModelKind.DAN_VAN_KHEO: "Dân vận khéo",
}
MODEL_KIND_SHORT: dict[str, str] = {ModelKind.HCM_STUDY: "Học tập và làm theo Bác", ModelKind.DAN_VAN_KHEO: "Dân vận khéo"}

#: MOD-2 — the four fields of "Dân vận khéo" (med, local pages).
DVK_FIELDS: dict[str, str] = {
    "economy": "Kinh tế",
    "culture_society": "Văn hoá – xã hội",
    "defence_security": "Quốc phòng – an ninh",
    "political_system": "Xây dựng hệ thống chính trị",
}
#: MOD-2 — a collective model (mô hình) or an individual example (điển hình).
FORMS: dict[str, str] = {"collective": "Mô hình tập thể", "individual": "Điển hình cá nhân"}

REGISTERED, RECOGNISED, ENDED = "registered", "recognised", "ended"
MODEL_STATUS_LABELS: dict[str, str] = {REGISTERED: "Đã đăng ký", RECOGNISED: "Được công nhận", ENDED: "Đã kết thúc"}


def model_problem(*, kind: str, field_: str, form: str, start_year: int, end_year: int | None) -> tuple[str, str] | None:
    """(field name, Vietnamese message) for a model that cannot be registered, or None.

    MOD-2 (med): a "Dân vận khéo" model names one of the four fields; MOD-1 (med): a Ho Chi Minh
    study model has no field. Either is collective or individual; it ends no earlier than it starts.
    """
    if kind not in MODEL_KIND_LABELS:
        return "kind", f"Loại mô hình không hợp lệ: «{kind}»."
    if kind == ModelKind.DAN_VAN_KHEO and field_ not in DVK_FIELDS:
        return "field", "Mô hình «Dân vận khéo» phải thuộc một trong bốn lĩnh vực (MOD-2)."
    if kind == ModelKind.HCM_STUDY and field_:
        return "field", "Lĩnh vực chỉ dùng cho mô hình «Dân vận khéo»."
    if form not in FORMS:
        return "form", f"Hình thức không hợp lệ: «{form}»."
    if not 1945 <= start_year <= 2100:
        return "start_year", f"Năm bắt đầu {start_year} không hợp lệ."
    if end_year is not None and end_year < start_year:
        return "end_year", "Năm kết thúc không được trước năm bắt đầu."
    return None


def model_status(*, start_year: int, end_year: int | None, recognised_year: int | None, year: int | None) -> str:
    """A model's status in `year` (None: as it stands now): ended once its end year is past (for a
    year: after it), recognised once the competent level recognised it (MOD-1/MOD-2), else registered."""
    if end_year is not None and (year is None or year > end_year):
        return ENDED
    if recognised_year is not None and (year is None or recognised_year <= year):
        return RECOGNISED
    return REGISTERED


def model_active(*, start_year: int, end_year: int | None, year: int) -> bool:
    """A model counts for `year` (MOD-1/2: kept up) when it started by then and had not ended before."""
    return start_year <= year and (end_year is None or end_year >= year)


# --------------------------------------------------------------------------------------------------
# Settings (med / low)
# --------------------------------------------------------------------------------------------------


def _kinds(value) -> tuple[str, ...]:
    return tuple(value)


@dataclass(frozen=True)
class ProgrammeRuleSettings:
    """Numbers of the programme rules, with their documented defaults (see `SETTING_INFO`)."""

    #: TGT-3 — which organisations a target "100% of … organisations" counts: the grassroots ones
    counted_kinds: tuple[str, ...] = ("grassroots_committee", "grassroots_cell")
    #: dashboard colours: amber when the actual is at least this share of the goal (green when met)
    amber_from_pct: float = 90
    #: TGT-5 — a member's ID number (CCCD) counts when it has this many digits
    id_digits: int = 12

    def __post_init__(self):
        if not 0 <= self.amber_from_pct <= 100:
            raise ValueError("Ngưỡng màu vàng phải trong khoảng 0–100.")
        if not self.counted_kinds:
            raise ValueError("Cần ít nhất một loại tổ chức được tính.")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ProgrammeRuleSettings:
        return rulesettings.from_mapping(cls, values, {"counted_kinds": _kinds})


DEFAULTS = ProgrammeRuleSettings()

SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "counted_kinds": ("TGT-3", "Nghị quyết Đại hội («100% tổ chức đảng»): mặc định tính các tổ chức cơ sở đảng", "med"),
    "amber_from_pct": ("TGT-1", "không quy định (cách hiển thị của phần mềm)", "low"),
    "id_digits": ("TGT-5", "Căn cước công dân 12 số", "low"),
}

# --------------------------------------------------------------------------------------------------
# Roll-up (TGT-1, TGT-3)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """An organisation as the roll-up sees it: where it sits, whether it still exists in the year,
    and, when it was merged away, the organisation it was merged into."""

    id: int
    path: str
    kind: str
    active: bool = True
    merged_into: int | None = None


@dataclass(frozen=True)
class Tally:
    """`meeting` of `counted` (organisations or members) meet the measure."""

    counted: int = 0
    meeting: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.counted + other.counted, self.meeting + other.meeting)

    @property
    def pct(self) -> Decimal | None:
        return share(self.meeting, self.counted)


def share(part: int, whole: int) -> Decimal | None:
    """part / whole in percent to one decimal (half up); None when nothing is counted."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def successor_of(units: Mapping[int, Unit], org_id: int) -> int | None:
    """Where `org_id`'s records count now: itself while active; its merge successor (followed through
    later merges) once merged away; None when dissolved without successor. Cycles end in None."""
    seen: set[int] = set()
    current: int | None = org_id
    while current is not None and current not in seen:
        seen.add(current)
        unit = units.get(current)
        if unit is None:
            return None
        if unit.active:
            return current
        current = unit.merged_into
    return None


def org_share(units: Iterable[Unit], holders: Iterable[int], root_path: str, *, within: bool = True,
              settings: ProgrammeRuleSettings = DEFAULTS) -> Tally:
    """TGT-3: how many organisations of the counted kinds under `root_path` (itself included) there
    are and how many hold the measure (e.g. an active model).

    Dissolved organisations are not counted; an organisation merged into another is not counted
    itself, and what it held counts for its successor — so merged organisations are counted once.
    `within`: an organisation holds when it or one under it holds (see `org_tallies`). The plain
    definition, one root at a time; `org_tallies` computes every root at once and must agree with it.
    """
    by_id = {u.id: u for u in units}
    held = held_paths(by_id, holders)
    counted = [u for u in by_id.values() if u.active and u.kind in settings.counted_kinds
               and u.path.startswith(root_path)]
    if within:
        return Tally(len(counted), sum(1 for u in counted if any(p.startswith(u.path) for p in held)))
    return Tally(len(counted), sum(1 for u in counted if u.path in held))


def held_paths(units: Mapping[int, Unit], holders: Iterable[int]) -> set[str]:
    """Paths of the organisations (in force) that hold a measure, merged ones credited to their successor."""
    out = set()
    for h in holders:
        s = successor_of(units, h)
        if s is not None:
            out.add(units[s].path)
    return out


def in_view(path: str, root: str | None) -> bool:
    """Whether a roll-up restricted to `root` computes `path`: `root` itself or an organisation
    directly under it (what a dashboard page shows); every path when `root` is None."""
    return root is None or (path.startswith(root) and path.count("/") - root.count("/") <= 1)


def _view_keys(path: str, root: str) -> tuple[str, ...]:
    """The paths of the view at `root` whose subtree holds `path` (none when outside)."""
    n = len(root)
    if not path.startswith(root):
        return ()
    return (root,) if len(path) == n else (root, path[:path.index("/", n) + 1])


def org_tallies(units: Iterable[Unit], holders: Iterable[int], *, within: bool = True,
                settings: ProgrammeRuleSettings = DEFAULTS, root: str | None = None) -> dict[str, Tally]:
    """`org_share` for every organisation at once, by path, in one pass over the tree (a unit adds
    itself to each of its ancestors): what the dashboard reads for a 50,000-organisation tree.

    `within`: an organisation holds the measure when it or an organisation under it does (a model
    registered by a cell counts for its grassroots organisation); otherwise only its own record counts.
    `root`: only the paths `in_view` of it (see `roll_up`).
    """
    return org_tallies_each(units, [holders], within=within, settings=settings, root=root)


def org_tallies_each(units: Iterable[Unit], holder_sets: Iterable[Iterable[int]], *, within: bool = True,
                     settings: ProgrammeRuleSettings = DEFAULTS, root: str | None = None) -> dict[str, Tally]:
    """`org_tallies` where an organisation holds when it holds for each of `holder_sets` (TGT-3: a
    model of each kind — `within`: each somewhere in its subtree, not necessarily in one place)."""
    by_id = {u.id: u for u in units}
    covered: set[str] | None = None
    for holders in holder_sets:
        held = held_paths(by_id, holders)
        cover = {path[:i + 1] for path in held for i, ch in enumerate(path) if ch == "/"} if within else held
        covered = cover if covered is None else covered & cover
    covered = covered or set()
    own: dict[str, Tally] = {}
    for u in by_id.values():
        if u.active and u.kind in settings.counted_kinds:
            own[u.path] = own.get(u.path, Tally()) + Tally(1, 1 if u.path in covered else 0)
    return roll_up(own, root)


def roll_up(own: Mapping[str, Tally], root: str | None = None) -> dict[str, Tally]:
    """Each path's own tally summed over its subtree, for every ancestor path ("1/", "1/2/", …).

    Deepest paths first, each adds its subtree's total to its parent once: O(paths) additions, not
    O(paths × depth) — the dashboard's cost at 50,000 organisations (docs/PERFORMANCE.md).
    Property-tested equal to adding each path to every prefix (tests/programme/test_rules.py).

    `root`: only `root` and the paths directly under it (the rows a dashboard page shows), each path
    added to those of them it lies under — O(paths) with no walk up the tree; property-tested equal
    to the full roll-up read at those paths."""
    if root is not None:
        sums: dict[str, list[int]] = {}
        for path, t in own.items():
            for key in _view_keys(path, root):
                a = sums.setdefault(key, [0, 0])
                a[0] += t.counted
                a[1] += t.meeting
        return {path: Tally(c, m) for path, (c, m) in sums.items()}
    counted: dict[str, int] = {}
    meeting: dict[str, int] = {}
    by_depth: dict[int, list[str]] = {}
    for path, t in own.items():
        counted[path] = counted.get(path, 0) + t.counted
        meeting[path] = meeting.get(path, 0) + t.meeting
        by_depth.setdefault(path.count("/"), []).append(path)
    for depth in range(max(by_depth, default=0), 1, -1):
        for path in by_depth.get(depth, ()):
            parent = path[:path.rfind("/", 0, len(path) - 1) + 1]
            if parent not in counted:
                counted[parent] = meeting[parent] = 0
                by_depth.setdefault(depth - 1, []).append(parent)
            counted[parent] += counted[path]
            meeting[parent] += meeting[path]
    return {path: Tally(counted[path], meeting[path]) for path in counted}


def subtree_sum(tallies: Mapping[str, Tally], root_path: str) -> Tally:
    """The sum of per-organisation tallies (keyed by path) over the subtree at `root_path`."""
    total = Tally()
    for path, t in tallies.items():
        if path.startswith(root_path):
            total = total + t
    return total


# --------------------------------------------------------------------------------------------------
# Reported figures, goals and colours
# --------------------------------------------------------------------------------------------------

ORGS_MEETING, MEAN, SUM = "orgs_meeting", "mean", "sum"
ROLLUP_LABELS: dict[str, str] = {
    ORGS_MEETING: "Tỷ lệ tổ chức đạt mức yêu cầu",
    MEAN: "Bình quân số liệu các tổ chức báo cáo",
    SUM: "Tổng số liệu các tổ chức báo cáo",
}


@dataclass(frozen=True)
class Reported:
    """A reported roll-up: the actual, and for `orgs_meeting` the organisations counted / meeting."""

    actual: Decimal | None
    tally: Tally | None = None
    reporting: int = 0


def reported_rollup(rollup: str, figures: Mapping[int, Decimal], counted_ids: Iterable[int],
                    org_goal: Decimal | None = None) -> Reported:
    """TGT-1: the actual of a reported target over a subtree.

    `figures`: each organisation's reported value for the year (by id); `counted_ids`: the
    organisations the target counts in the subtree. `orgs_meeting`: the share of counted
    organisations whose figure reaches `org_goal` (none reported = not meeting); `mean` / `sum`:
    over the counted organisations that reported.
    """
    ids = list(dict.fromkeys(counted_ids))
    values = [figures[i] for i in ids if i in figures]
    if rollup == ORGS_MEETING:
        goal = org_goal if org_goal is not None else Decimal(100)
        tally = Tally(len(ids), sum(1 for v in values if v >= goal))
        return Reported(tally.pct, tally, len(values))
    if not values:
        return Reported(None, None, 0)
    if rollup == SUM:
        return Reported(sum(values, Decimal(0)), None, len(values))
    if rollup == MEAN:
        mean = sum(values, Decimal(0)) / len(values)
        return Reported(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), None, len(values))
    raise ValueError(f"Cách tổng hợp không hợp lệ: «{rollup}».")


def reported_by_path(units: Iterable[Unit], figures: Mapping[int, Decimal], rollup: str,
                     org_goal: Decimal | None = None,
                     settings: ProgrammeRuleSettings = DEFAULTS, root: str | None = None) -> dict[str, Reported]:
    """`reported_rollup` for every organisation's subtree at once, by path, in one pass (each counted
    organisation adds itself and its figure to its ancestors). Paths without a counted organisation
    are absent: the caller falls back to the organisation's own figure. `root`: only the paths
    `in_view` of it (each organisation adds itself to at most two of them)."""
    goal = org_goal if org_goal is not None else Decimal(100)
    acc: dict[str, list] = {}  # path → [counted, meeting, reporting, total]
    for u in units:
        if not (u.active and u.kind in settings.counted_kinds):
            continue
        value = figures.get(u.id)
        keys = _view_keys(u.path, root) if root is not None else \
            [u.path[:i + 1] for i, ch in enumerate(u.path) if ch == "/"]
        for key in keys:
            a = acc.setdefault(key, [0, 0, 0, Decimal(0)])
            a[0] += 1
            if value is not None:
                a[2] += 1
                a[3] += value
                if value >= goal:
                    a[1] += 1
    out = {}
    for path, (counted, meeting, reporting, total) in acc.items():
        if rollup == ORGS_MEETING:
            tally = Tally(counted, meeting)
            out[path] = Reported(tally.pct, tally, reporting)
        elif rollup == SUM:
            out[path] = Reported(total if reporting else None, None, reporting)
        elif rollup == MEAN:
            mean = (total / reporting).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if reporting else None
            out[path] = Reported(mean, None, reporting)
        else:
            raise ValueError(f"Cách tổng hợp không hợp lệ: «{rollup}».")
    return out


GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
COLOUR_LABELS: dict[str, str] = {GREEN: "Đạt", AMBER: "Gần đạt", RED: "Chưa đạt", NONE: "Chưa có số liệu"}


NO_GOAL_LABEL = "Không có chỉ tiêu riêng"


def colour_label(actual: Decimal | None, goal: Decimal | None, settings: ProgrammeRuleSettings = DEFAULTS) -> str:
    """The words beside a figure: its colour's, except for a figure without a goal to meet — a part of
    a total, whose goal is the programme organisation's alone (TGT-1) — which is «Không có chỉ tiêu
    riêng», not «Chưa có số liệu»: the figure is there."""
    if actual is not None and goal is None:
        return NO_GOAL_LABEL
    return COLOUR_LABELS[colour(actual, goal, settings)]


def met(actual: Decimal | None, goal: Decimal | None) -> bool | None:
    """TGT-1: the actual reaches the goal (targets here are "at least"); None without both."""
    if actual is None or goal is None:
        return None
    return actual >= goal


def colour(actual: Decimal | None, goal: Decimal | None, settings: ProgrammeRuleSettings = DEFAULTS) -> str:
    """Red / amber / green of a figure: green when the goal is met, amber from `amber_from_pct` of it."""
    m = met(actual, goal)
    if m is None:
        return NONE
    if m:
        return GREEN
    if goal > 0 and actual * 100 >= goal * Decimal(str(settings.amber_from_pct)):
        return AMBER
    return RED


def goal_for(year: int, goals: Mapping[int, Decimal], term_goal: Decimal | None) -> Decimal | None:
    """TGT-1: the goal of `year` when one is set, else the term's goal."""
    return goals.get(year, term_goal)


def id_number_ok(value: str, settings: ProgrammeRuleSettings = DEFAULTS) -> bool:
    """TGT-5: an ID number counts when it is exactly `id_digits` digits (a CCCD)."""
    return len(value) == settings.id_digits and value.isascii() and value.isdigit()


@dataclass(frozen=True)
class TaskProgress:
    items: int
    done: int


def task_progress(items: Iterable[bool]) -> TaskProgress:
    """TGT-2: a key task's action items in a year and how many are done."""
    flags = list(items)
    return TaskProgress(len(flags), sum(1 for f in flags if f))


def term_years(term: str) -> tuple[int, int]:
    """The first and last year of a term written «2025–2030» (en dash or hyphen)."""
    parts = term.replace("–", "-").split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"Nhiệm kỳ «{term}» phải viết dạng 2025–2030.")
    start, end = (int(p) for p in parts)
    if end < start:
        raise ValueError(f"Nhiệm kỳ «{term}»: năm cuối trước năm đầu.")
    return start, end

