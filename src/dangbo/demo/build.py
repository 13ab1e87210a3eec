"""Write the demo committee (demo.plan) into the database through the services.

Every organisation, member and event goes through the same service functions the web and API use,
so the demo exercises validation, the transition table and the audit log. Deterministic for
(seed, today); idempotent: a database that already holds the committee is left as it is.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from dangbo.accounts.services import account_create
from dangbo.demo.plan import MERGER_DATE, MERGER_DECISION, MERGER_DECISION_DATE, committee_plan, plan_members
from dangbo.members.services import member_create, member_event_record
from dangbo.orgs.models import Organization
from dangbo.orgs.services import org_dissolve, org_found

DEMO_PASSWORD = "dangbo-demo-2025"  # demo data only; printed by `dangbo demo`
STUDY_PLACES = (
    "Học viện Chính trị quốc gia Hồ Chí Minh",
    "Học viện Chính trị khu vực I",
    "Học viện Báo chí và Tuyên truyền",
)


@dataclass
class DemoResult:
    created: bool
    organizations: int
    members: int
    logins: list[tuple[str, str, str]]  # (username, password, role description)


def _logins(root, secretary_org, member) -> list[tuple[str, str, str]]:
    return [
        ("vanphong", DEMO_PASSWORD, f"Cán bộ Văn phòng — toàn {root.name}"),
        ("bithu", DEMO_PASSWORD, f"Bí thư — {secretary_org.name}"),
        ("dangvien", DEMO_PASSWORD, f"Đảng viên — {member.full_name}"),
    ]


def _found_orgs(plan) -> dict[str, Organization]:
    """Create every organisation of the plan, citing the decision of the event that founded it."""
    decision_of = {}
    for ev in plan.events:
        for code in ev.org_codes:
            decision_of.setdefault(code, ev)
    orgs: dict[str, Organization] = {}
    # the predecessors first (so the new organisations can cite them), each group parents first
    for p in sorted(plan.orgs, key=lambda o: o.valid_to is None):
        ev = decision_of.get(p.code)
        orgs[p.code] = org_found(
            actor=None, code=p.code, name=p.name, kind=p.kind,
            parent=orgs[p.parent_code] if p.parent_code else None, on=p.valid_from,
            decision_number=ev.decision_number if ev else "", decision_date=ev.decision_date if ev else None,
            predecessors=[orgs[c] for c in p.predecessor_codes if c in orgs], note=ev.note if ev else "",
        )
    return orgs


def _member_events(mp, orgs, rng):
    """The dated events of one planned member after admission (and recognition), in date order."""
    p = mp.person
    events = []
    if p.official_date:
        events.append((p.official_date, "recognition", {}))
    if mp.previous_org_code:
        events.append((MERGER_DATE, "transfer_internal", {"to_org": orgs[mp.org_code],
                                                           "decision_number": MERGER_DECISION,
                                                           "decision_date": MERGER_DECISION_DATE}))
    for tier, on in mp.badges:
        events.append((on, "badge", {"details": {"tier": tier}}))
    if mp.exempt:
        start = max(p.official_date or p.admission_date, MERGER_DATE) + timedelta(days=rng.randint(15, 120))
        events.append((start, "exemption", {"note": "Miễn sinh hoạt do tuổi cao, sức khỏe yếu (Điều lệ Đảng, Điều 7)."}))
    if mp.temporary_transfer:
        start, until = mp.temporary_transfer
        events.append((start, "temp_transfer_out", {"place": rng.choice(STUDY_PLACES), "end_date": until,
                                                    "details": {"study": True}}))
    events.sort(key=lambda e: e[0])  # stable: recognition before a badge on the same day
    return events


def _existing(root) -> DemoResult:
    from dangbo.accounts.models import Account
    from dangbo.members.models import Member

    acc = {a.user.username: a for a in Account.objects.select_related("user", "organization", "member")}
    logins = []
    if {"vanphong", "bithu", "dangvien"} <= set(acc):
        logins = _logins(root, acc["bithu"].organization, acc["dangvien"].member)
    return DemoResult(False, Organization.objects.count(), Member.objects.count(), logins)


@transaction.atomic
def build_demo(*, seed: int = 2025, today: date | None = None, progress=None) -> DemoResult:
    plan = committee_plan()
    existing = Organization.objects.filter(code=plan.committee.code).first()
    if existing is not None:
        return _existing(existing)
    today = today or date.today()
    rng = random.Random(f"{seed}:demo-events")
    orgs = _found_orgs(plan)
    members = plan_members(plan, seed=seed, today=today)
    for i, mp in enumerate(members):
        p = mp.person
        profile = {
            "full_name": p.full_name, "sex": p.sex, "birth_date": p.birth_date, "place_of_birth": p.place_of_birth,
            "home_town": p.home_town, "ethnicity": p.ethnicity, "religion": p.religion, "national_id": p.national_id,
            "card_number": "" if p.is_probationary else f"{rng.randint(10**7, 10**8 - 1)}",
            "education": p.education, "professional_level": p.professional_level,
            "political_theory_level": p.political_theory_level, "position": p.position,
            "workplace": orgs[mp.org_code].name.replace("Chi bộ ", "").replace("Đảng bộ ", ""),
        }
        home = orgs[mp.previous_org_code or mp.org_code]
        member = member_create(actor=None, organization=home, profile=profile, admission_date=p.admission_date,
                               today=today)
        for on, kind, kw in _member_events(mp, orgs, rng):
            if on > today:
                continue
            member_event_record(actor=None, member=member, kind=kind, on=on, today=today, **kw)
        if progress and i % 250 == 0:
            progress(i, len(members))
    top = orgs[plan.committee.code]
    for p in plan.orgs:  # the predecessors end on 1/7/2025, merged into their successors
        if p.valid_to is not None:
            successor = next((o for o in plan.orgs if p.code in o.predecessor_codes), plan.committee)
            org_dissolve(actor=None, org=orgs[p.code], on=p.valid_to, kind="merge",
                         decision_number=MERGER_DECISION, decision_date=MERGER_DECISION_DATE,
                         successor=orgs[successor.code])
    secretary_org = orgs[plan.grassroots[0].code]
    from dangbo.members.models import Member

    own = Member.objects.filter(org_path__startswith=secretary_org.path, state="official").order_by("name_sort").first()
    account_create(actor=None, username="vanphong", password=DEMO_PASSWORD, role="office", organization=top)
    account_create(actor=None, username="bithu", password=DEMO_PASSWORD, role="secretary", organization=secretary_org)
    account_create(actor=None, username="dangvien", password=DEMO_PASSWORD, role="member", member=own)
    return DemoResult(True, Organization.objects.count(), Member.objects.count(), _logins(top, secretary_org, own))
