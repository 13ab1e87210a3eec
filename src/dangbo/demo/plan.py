"""The shape of the demo committee, as data (no database).

"Đảng bộ các cơ quan Đảng tỉnh Phú Thọ" was founded on 1/7/2025 by 10-QĐ/TU of 26/6/2025 (ORG-3)
by merging the Party-agency committees of the old provinces Phú Thọ, Vĩnh Phúc and Hòa Bình, with 12
grassroots organisations and a little over 2,700 members; its first congress (term 2025–2030) met
on 28–29/7/2025 with 184 delegates. Everything else here (the predecessors' dates and decisions, the
grassroots organisations, their cells and sizes) is invented but plausible.

`committee_plan()` returns a `CommitteePlan`: organisations (current and dissolved), dated events
citing decisions, the congress, and the default `MemberMix`. `plan_members()` turns a plan into a
deterministic list of `MemberPlan` (a `people.Person` placed in a cell, with status flags) for the
lead's seeding command to write as rows.

Kinds and event kinds use the string values of `dangbo.orgs.rules.OrgKind` / `OrgEventKind`
(repeated here so this module stays free of Django and of other packages). Validity intervals are
half-open: an organisation exists on `valid_from <= d < valid_to` (`valid_to` None = still active),
so a predecessor's `valid_to` equals its successor's `valid_from` (1/7/2025).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from dangbo.demo.people import PROVINCE_WEIGHTS, Person, PersonGenerator, add_years

__all__ = [
    "AWARD_DAYS",
    "BADGE_TIERS",
    "CommitteePlan",
    "CongressPlan",
    "EventPlan",
    "MemberMix",
    "MemberPlan",
    "OrgPlan",
    "badges_awarded",
    "committee_plan",
    "next_badge",
    "plan_members",
]

# Values of dangbo.orgs.rules.OrgKind (ORG-1).
COMMITTEE = "committee"  # Đảng bộ (cấp trên cơ sở)
GRASSROOTS_COMMITTEE = "grassroots_committee"  # Đảng bộ cơ sở
GRASSROOTS_CELL = "grassroots_cell"  # Chi bộ cơ sở
CELL = "cell"  # Chi bộ trực thuộc
# Values of dangbo.orgs.rules.OrgEventKind.
FOUND, MERGE, MOVE, DISSOLVE = "found", "merge", "move", "dissolve"

MERGER_DATE = date(2025, 7, 1)
MERGER_DECISION = "10-QĐ/TU"
MERGER_DECISION_DATE = date(2025, 6, 26)
TOP_CODE = "DBCQD-PT"

#: MEM-3 (med, HD 01-HD/TW §18): badge tiers in years of party age and the days they are awarded on.
BADGE_TIERS: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
AWARD_DAYS: tuple[tuple[int, int], ...] = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day)


@dataclass(frozen=True)
class OrgPlan:
    code: str
    name: str
    kind: str  # an OrgKind value
    parent_code: str | None
    valid_from: date
    valid_to: date | None = None  # exclusive; None = active
    predecessor_codes: tuple[str, ...] = ()
    target_members: int = 0  # current orgs: members (a grassroots committee: the sum of its cells)
    workplace: str = "office"  # people.POSITION_POOLS key for the members' job titles
    province: str | None = None  # old province, for a predecessor organisation

    @property
    def is_active(self) -> bool:
        return self.valid_to is None


@dataclass(frozen=True)
class EventPlan:
    kind: str  # an OrgEventKind value
    org_codes: tuple[str, ...]  # the organisations the event is recorded on (the results)
    date: date  # effective date
    decision_number: str
    decision_date: date
    issuer: str  # who signed the decision
    source_codes: tuple[str, ...] = ()  # for a merge: the organisations merged
    note: str = ""


@dataclass(frozen=True)
class CongressPlan:
    org_code: str
    name: str
    term: str
    start: date
    end: date
    delegates: int


@dataclass(frozen=True)
class MemberMix:
    """Default shares of member situations in the demo (fractions of all members).

    probationary: admitted within the 12 months before `today` (MEM-1).
    exempt: older members exempted from activities by their cell (MEM-4).
    temporary_transfer: members temporarily transferred out to study, 3 to <12 months (MEM-5).
    badge_due: a 30/40/45/50-year badge tier falls due in the 12 months after `today` (MEM-3).
    badge_awarded: at least a 30-year badge already awarded (others get one naturally as well).
    """

    probationary: float = 0.06
    exempt: float = 0.03
    temporary_transfer: float = 0.02
    badge_due: float = 0.04
    badge_awarded: float = 0.03
    badge_due_tiers: tuple[tuple[int, float], ...] = ((30, 0.6), (40, 0.2), (45, 0.12), (50, 0.08))


@dataclass(frozen=True)
class CommitteePlan:
    committee: OrgPlan
    orgs: tuple[OrgPlan, ...]  # every organisation, parents before children, the committee first
    events: tuple[EventPlan, ...]
    congress: CongressPlan
    member_mix: MemberMix = field(default_factory=MemberMix)

    def org(self, code: str) -> OrgPlan:
        for o in self.orgs:
            if o.code == code:
                return o
        raise KeyError(code)

    def children(self, code: str) -> list[OrgPlan]:
        return [o for o in self.orgs if o.parent_code == code]

    @property
    def grassroots(self) -> list[OrgPlan]:
        """The current grassroots organisations (12)."""
        return [o for o in self.children(self.committee.code) if o.is_active]

    @property
    def predecessors(self) -> list[OrgPlan]:
        return [o for o in self.orgs if not o.is_active]

    @property
    def member_cells(self) -> list[OrgPlan]:
        """Current cells where members are registered (grassroots cells and cells of grassroots committees)."""
        return [o for o in self.orgs if o.is_active and o.kind in (GRASSROOTS_CELL, CELL)]

    @property
    def total_members(self) -> int:
        return sum(o.target_members for o in self.member_cells)

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------------

# Old committees: code, name, province, founded, decision, decision date (all invented but the names).
_OLD_COMMITTEES = (
    ("DBCQD-PTC", "Đảng bộ các cơ quan Đảng tỉnh Phú Thọ (cũ)", "Phú Thọ",
     date(2025, 2, 1), "1538-QĐ/TU", date(2025, 1, 24)),
    ("DBCQD-VP", "Đảng bộ các cơ quan Đảng tỉnh Vĩnh Phúc", "Vĩnh Phúc",
     date(2025, 2, 3), "1762-QĐ/TU", date(2025, 1, 27)),
    ("DBCQD-HB", "Đảng bộ các cơ quan Đảng tỉnh Hòa Bình", "Hòa Bình",
     date(2025, 2, 5), "1417-QĐ/TU", date(2025, 2, 3)),
)
_OLD_SUFFIX = {"DBCQD-PTC": "Phú Thọ (cũ)", "DBCQD-VP": "Vĩnh Phúc", "DBCQD-HB": "Hòa Bình"}

# The 12 current grassroots organisations:
# key, kind, name, workplace, cells [(name, members)] for a committee or members for a cell,
# predecessors [(key, old committee codes, kind in the old committee, old name)].
_ALL = ("DBCQD-PTC", "DBCQD-VP", "DBCQD-HB")
_GRASSROOTS: tuple = (
    ("VPTU", GRASSROOTS_COMMITTEE, "Đảng bộ Văn phòng Tỉnh ủy", "office", [
        ("Chi bộ Phòng Tổng hợp", 120), ("Chi bộ Phòng Hành chính - Lưu trữ", 95),
        ("Chi bộ Phòng Quản trị - Tài vụ", 105), ("Chi bộ Phòng Cơ yếu - Công nghệ thông tin", 80),
        ("Chi bộ Phòng Đảng vụ", 70), ("Chi bộ Đội xe", 130),
    ], [("VPTU", _ALL, GRASSROOTS_COMMITTEE, "Đảng bộ Văn phòng Tỉnh ủy {p}")]),
    ("MTTQ", GRASSROOTS_COMMITTEE, "Đảng bộ Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "front", [
        ("Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc", 95), ("Chi bộ Ban Công tác phụ nữ", 70),
        ("Chi bộ Ban Công tác thanh niên", 85), ("Chi bộ Ban Công tác nông dân", 60),
        ("Chi bộ Ban Công tác cựu chiến binh", 45), ("Chi bộ Ban Công tác công đoàn", 105),
    ], [
        ("MTTQ", _ALL, GRASSROOTS_CELL, "Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {p}"),
        ("TD", _ALL, GRASSROOTS_CELL, "Chi bộ Cơ quan Tỉnh đoàn {p}"),
        ("PN", _ALL, GRASSROOTS_CELL, "Chi bộ Cơ quan Hội Liên hiệp Phụ nữ tỉnh {p}"),
    ]),
    ("BAO", GRASSROOTS_COMMITTEE, "Đảng bộ Báo Phú Thọ", "press", [
        ("Chi bộ Phòng Thời sự", 85), ("Chi bộ Phòng Phóng sự - Chuyên đề", 70),
        ("Chi bộ Phòng Kỹ thuật - Công nghệ", 80), ("Chi bộ Phòng Báo điện tử", 95),
        ("Chi bộ Phòng Hành chính - Trị sự", 50),
    ], [("BAO", _ALL, GRASSROOTS_COMMITTEE, "Đảng bộ Báo {p}")]),
    ("BTGDV", GRASSROOTS_COMMITTEE, "Đảng bộ Ban Tuyên giáo và Dân vận Tỉnh ủy", "office", [
        ("Chi bộ Phòng Tuyên truyền - Báo chí", 65), ("Chi bộ Phòng Lý luận chính trị - Lịch sử Đảng", 55),
        ("Chi bộ Phòng Dân vận - Tôn giáo", 65), ("Chi bộ Phòng Khoa giáo - Văn hóa", 50),
        ("Chi bộ Văn phòng Ban", 55),
    ], [("BTGDV", _ALL, GRASSROOTS_CELL, "Chi bộ Ban Tuyên giáo và Dân vận Tỉnh ủy {p}")]),
    ("BTC", GRASSROOTS_COMMITTEE, "Đảng bộ Ban Tổ chức Tỉnh ủy", "office", [
        ("Chi bộ Phòng Tổ chức đảng - Đảng viên", 70), ("Chi bộ Phòng Cán bộ", 75),
        ("Chi bộ Phòng Bảo vệ chính trị", 55), ("Chi bộ Văn phòng Ban", 65),
    ], [("BTC", _ALL, GRASSROOTS_CELL, "Chi bộ Ban Tổ chức Tỉnh ủy {p}")]),
    ("UBKT", GRASSROOTS_COMMITTEE, "Đảng bộ Cơ quan Ủy ban Kiểm tra Tỉnh ủy", "office", [
        ("Chi bộ Phòng Kiểm tra số 1", 75), ("Chi bộ Phòng Kiểm tra số 2", 70),
        ("Chi bộ Phòng Giám sát", 60), ("Chi bộ Văn phòng Ủy ban", 45),
    ], [("UBKT", _ALL, GRASSROOTS_CELL, "Chi bộ Cơ quan Ủy ban Kiểm tra Tỉnh ủy {p}")]),
    ("TCT", GRASSROOTS_COMMITTEE, "Đảng bộ Trường Chính trị tỉnh", "school", [
        ("Chi bộ Khoa Xây dựng Đảng", 50), ("Chi bộ Khoa Lý luận cơ sở", 45),
        ("Chi bộ Khoa Nhà nước và pháp luật", 45), ("Chi bộ Phòng Tổ chức - Hành chính - Quản lý đào tạo", 70),
    ], [("TCT", _ALL, GRASSROOTS_COMMITTEE, "Đảng bộ Trường Chính trị tỉnh {p}")]),
    ("BQLDA", GRASSROOTS_COMMITTEE, "Đảng bộ Ban Quản lý dự án đầu tư xây dựng các công trình của Tỉnh ủy",
     "project", [
         ("Chi bộ Phòng Kỹ thuật - Thẩm định", 45), ("Chi bộ Phòng Kế hoạch - Tài chính", 35),
         ("Chi bộ Phòng Hành chính - Tổng hợp", 30),
     ], [("BQLDA", ("DBCQD-PTC",), GRASSROOTS_COMMITTEE,
          "Đảng bộ Ban Quản lý dự án đầu tư xây dựng các công trình của Tỉnh ủy {p}")]),
    ("BNC", GRASSROOTS_CELL, "Chi bộ Ban Nội chính Tỉnh ủy", "office", 58,
     [("BNC", _ALL, GRASSROOTS_CELL, "Chi bộ Ban Nội chính Tỉnh ủy {p}")]),
    ("NKTU", GRASSROOTS_CELL, "Chi bộ Nhà khách Tỉnh ủy", "office", 62,
     [("NKTU", _ALL, GRASSROOTS_CELL, "Chi bộ Nhà khách Tỉnh ủy {p}")]),
    ("BVSK", GRASSROOTS_CELL, "Chi bộ Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh", "office", 42,
     [("BVSK", ("DBCQD-PTC", "DBCQD-VP"), GRASSROOTS_CELL,
       "Chi bộ Ban Bảo vệ, chăm sóc sức khỏe cán bộ tỉnh {p}")]),
    ("CQDU", GRASSROOTS_CELL, "Chi bộ Cơ quan Đảng ủy các cơ quan Đảng tỉnh", "office", 28,
     [("CQDU", _ALL, GRASSROOTS_CELL, "Chi bộ Cơ quan Đảng ủy các cơ quan Đảng tỉnh {p}")]),
)


def committee_plan() -> CommitteePlan:
    """The demo committee: 1 committee, 12 grassroots orgs (8 committees with 3–6 cells, 4 cells),
    the 3 predecessor committees with their grassroots orgs, and the events linking them (ORG-3)."""
    committee = OrgPlan(
        code=TOP_CODE,
        name="Đảng bộ các cơ quan Đảng tỉnh Phú Thọ",
        kind=COMMITTEE,
        parent_code=None,
        valid_from=MERGER_DATE,
        predecessor_codes=_ALL,
    )
    current: list[OrgPlan] = []
    old: list[OrgPlan] = []
    events: list[EventPlan] = []
    old_children: dict[str, list[str]] = {c[0]: [] for c in _OLD_COMMITTEES}
    founded = {c[0]: c[3] for c in _OLD_COMMITTEES}
    province_of = {c[0]: c[2] for c in _OLD_COMMITTEES}

    for c_code, c_name, province, c_from, *_ in _OLD_COMMITTEES:
        old.append(OrgPlan(c_code, c_name, COMMITTEE, None, c_from, MERGER_DATE, province=province))

    for i, (key, kind, name, workplace, cells, preds) in enumerate(_GRASSROOTS):
        g_code = f"{TOP_CODE}.{key}"
        pred_codes: list[str] = []
        for p_key, p_committees, p_kind, p_name in preds:
            for pc in p_committees:
                p_code = f"{pc}.{p_key}"
                pred_codes.append(p_code)
                old_children[pc].append(p_code)
                old.append(OrgPlan(
                    p_code, p_name.format(p=_OLD_SUFFIX[pc]), p_kind, pc, founded[pc], MERGER_DATE,
                    workplace=workplace, province=province_of[pc],
                ))
        if kind == GRASSROOTS_COMMITTEE:
            children = [
                OrgPlan(f"{g_code}.C{j}", c_name, CELL, g_code, MERGER_DATE, target_members=n, workplace=workplace)
                for j, (c_name, n) in enumerate(cells, start=1)
            ]
            size = sum(c.target_members for c in children)
        else:
            children, size = [], cells
        current.append(OrgPlan(
            g_code, name, kind, TOP_CODE, MERGER_DATE, predecessor_codes=tuple(pred_codes),
            target_members=size, workplace=workplace,
        ))
        current.extend(children)
        events.append(EventPlan(
            kind=MERGE if len(pred_codes) > 1 else MOVE,
            org_codes=(g_code,),
            date=MERGER_DATE,
            decision_number=f"{125 + i}-QĐ/ĐU",
            decision_date=MERGER_DATE,
            issuer="Đảng ủy các cơ quan Đảng tỉnh Phú Thọ",
            source_codes=tuple(pred_codes),
            note=(f"Hợp nhất {len(pred_codes)} tổ chức cơ sở đảng của các đảng bộ cũ." if len(pred_codes) > 1
                  else "Chuyển nguyên trạng từ Đảng bộ các cơ quan Đảng tỉnh Phú Thọ (cũ)."),
        ))
        if children:
            events.append(EventPlan(
                kind=FOUND,
                org_codes=tuple(c.code for c in children),
                date=MERGER_DATE,
                decision_number=f"{i + 1:02d}-QĐ/ĐU",
                decision_date=MERGER_DATE,
                issuer=name.replace("Đảng bộ", "Đảng ủy", 1),
                note=f"Thành lập {len(children)} chi bộ trực thuộc.",
            ))

    # The founding of each old committee, with its grassroots organisations transferred to it.
    found_events = [
        EventPlan(
            kind=FOUND,
            org_codes=(c_code, *old_children[c_code]),
            date=c_from,
            decision_number=dec,
            decision_date=dec_date,
            issuer=f"Tỉnh ủy {_OLD_SUFFIX[c_code]}",
            note="Thành lập đảng bộ; chuyển các tổ chức cơ sở đảng trực thuộc về đảng bộ.",
        )
        for c_code, _, _, c_from, dec, dec_date in _OLD_COMMITTEES
    ]
    merge_committee = EventPlan(
        kind=MERGE,
        org_codes=(TOP_CODE,),
        date=MERGER_DATE,
        decision_number=MERGER_DECISION,
        decision_date=MERGER_DECISION_DATE,
        issuer="Tỉnh ủy Phú Thọ",
        source_codes=_ALL,
        note="Thành lập Đảng bộ các cơ quan Đảng tỉnh Phú Thọ trên cơ sở hợp nhất 3 đảng bộ các cơ quan Đảng tỉnh.",
    )
    # Parents first: old committees, their grassroots orgs, then the new tree.
    old_sorted = [o for o in old if o.kind == COMMITTEE] + [o for o in old if o.kind != COMMITTEE]
    return CommitteePlan(
        committee=committee,
        orgs=(committee, *current, *old_sorted),
        events=(*found_events, merge_committee, *events),
        congress=CongressPlan(
            org_code=TOP_CODE,
            name="Đại hội đại biểu Đảng bộ các cơ quan Đảng tỉnh Phú Thọ lần thứ I",
            term="2025–2030",
            start=date(2025, 7, 28),
            end=date(2025, 7, 29),
            delegates=184,
        ),
    )


# --------------------------------------------------------------------------------------------------
# Members
# --------------------------------------------------------------------------------------------------


def _next_award_day(d: date) -> date:
    """The first award day (3/2, 19/5, 2/9, 7/11) on or after `d` (MEM-3)."""
    for year in (d.year, d.year + 1):
        for month, day in AWARD_DAYS:
            if date(year, month, day) >= d:
                return date(year, month, day)
    raise AssertionError("unreachable")  # pragma: no cover


def badges_awarded(admission: date, today: date) -> tuple[tuple[int, date], ...]:
    """(tier, award date) for every tier reached and already awarded by `today` (MEM-3).

    Party age counts from the admission date (MEM-1); no gaps or discipline delays in the demo.
    """
    out = []
    for tier in BADGE_TIERS:
        awarded = _next_award_day(add_years(admission, tier))
        if awarded > today:
            break
        out.append((tier, awarded))
    return tuple(out)


def next_badge(admission: date, today: date) -> tuple[int, date] | None:
    """(tier, date reached) of the first tier not yet awarded by `today`, or None past 90 years."""
    for tier in BADGE_TIERS:
        reached = add_years(admission, tier)
        if _next_award_day(reached) > today:
            return tier, reached
    return None


@dataclass(frozen=True)
class MemberPlan:
    org_code: str  # a current cell (grassroots cell or cell of a grassroots committee)
    person: Person
    situation: str  # "regular" | "probationary" | "exempt" | "temporary_transfer" | "badge_due" | "badge_awarded"
    exempt: bool
    temporary_transfer: tuple[date, date] | None  # (from, until) of a temporary transfer out (MEM-5)
    previous_org_code: str | None  # the predecessor grassroots org the member came from, if any
    badges: tuple[tuple[int, date], ...]  # awarded (tier, date)
    badge_due: tuple[int, date] | None  # next tier if reached within 12 months after `today`

    @property
    def is_probationary(self) -> bool:
        return self.person.is_probationary


def _situations(rng: random.Random, n: int, mix: MemberMix) -> list[str]:
    counts = {
        "probationary": round(n * mix.probationary),
        "exempt": round(n * mix.exempt),
        "temporary_transfer": round(n * mix.temporary_transfer),
        "badge_due": round(n * mix.badge_due),
        "badge_awarded": round(n * mix.badge_awarded),
    }
    labels = [k for k, c in counts.items() for _ in range(c)]
    if len(labels) > n:
        raise ValueError("member_mix shares add up to more than 100%")
    labels += ["regular"] * (n - len(labels))
    rng.shuffle(labels)
    return labels


def plan_members(
    plan: CommitteePlan | None = None,
    *,
    seed: int | str = 2025,
    today: date | None = None,
    mix: MemberMix | None = None,
) -> list[MemberPlan]:
    """Every member of the plan's current cells, deterministic for (seed, today).

    Members of a cell come from the old provinces of its grassroots organisation's predecessors
    (weighted like people.PROVINCE_WEIGHTS); those admitted before 1/7/2025 record the predecessor
    organisation of their province as `previous_org_code`.
    """
    plan = plan or committee_plan()
    mix = mix or plan.member_mix
    today = today or date.today()
    gen = PersonGenerator(seed, today=today)
    rng = random.Random(f"{seed}:situations")
    cells = plan.member_cells
    situations = _situations(rng, sum(c.target_members for c in cells), mix)
    tiers, tier_weights = zip(*mix.badge_due_tiers, strict=True)
    year_ago = add_years(today, -1)
    # official by today: the ceremony comes up to 42 days after the decision (people.ceremony_delay_days)
    # and the 12 months of probation count from the ceremony (MEM-1)
    settled = year_ago - timedelta(days=43)
    out: list[MemberPlan] = []
    k = 0
    for cell in cells:
        grassroots = plan.org(cell.parent_code) if cell.kind == CELL else cell
        preds = [plan.org(c) for c in grassroots.predecessor_codes]
        provinces = sorted({p.province for p in preds if p.province}, key=list(PROVINCE_WEIGHTS).index)
        for _ in range(cell.target_members):
            situation = situations[k]
            k += 1
            province = rng.choices(provinces, weights=[PROVINCE_WEIGHTS[p] for p in provinces])[0]
            kw: dict = {"province": province, "workplace": cell.workplace}
            if situation == "probationary":
                kw["admitted_between"] = (year_ago + timedelta(days=1), today)
            elif situation == "exempt":
                kw["birth_year_range"] = (today.year - 64, today.year - 55)
                kw["admitted_between"] = (None, settled)
            elif situation == "badge_due":
                tier = rng.choices(tiers, weights=tier_weights)[0]
                # Reached within (today, today + 12 months]: admitted `tier` years before that.
                kw["admitted_between"] = (add_years(today, -tier) + timedelta(days=1), add_years(today, 1 - tier))
            elif situation == "badge_awarded":
                # Reached 30 years at least one award day ago.
                kw["admitted_between"] = (add_years(today, -38), add_years(today, -30) - timedelta(days=130))
            else:
                kw["admitted_between"] = (None, settled)
            person = gen.person(**kw)
            for _ in range(20):  # keep the badge-due share to the mix: others must not fall due by chance
                badge = next_badge(person.admission_date, today)
                if situation == "badge_due" or not (badge and badge[1] <= add_years(today, 1)):
                    break
                person = gen.person(**kw)
            transfer = None
            if situation == "temporary_transfer":
                # MEM-5: 3 to under 12 months, under way on `today`.
                start = today - timedelta(days=rng.randint(20, 150))
                length = rng.randint(max(95, (today - start).days + 30), 360)
                transfer = (start, start + timedelta(days=length))
            previous = None
            if person.admission_date < MERGER_DATE:
                candidates = [p.code for p in preds if p.province == person.home_province]
                previous = rng.choice(candidates) if candidates else None
            badge = next_badge(person.admission_date, today)
            due = badge if badge and badge[1] <= add_years(today, 1) else None
            out.append(MemberPlan(
                org_code=cell.code,
                person=person,
                situation=situation,
                exempt=situation == "exempt",
                temporary_transfer=transfer,
                previous_org_code=previous,
                badges=badges_awarded(person.admission_date, today),
                badge_due=due,
            ))
    return out
