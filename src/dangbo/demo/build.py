"""Write the demo committee (demo.plan) into the database through the services.

Every organisation, member and event goes through the same service functions the web and API use,
so the demo exercises validation, the transition table and the audit log. Deterministic for
(seed, today); idempotent: a database that already holds the committee is left as it is.

The members arrive the way the real committee got them: the three predecessor committees' rolls are
written as messy files (demo.rolls: TCVN3 and VNI spreadsheets, a BOM'd CSV, plus the additions since
1/7/2025) into `VAR_DIR/demo-rolls`, then merged and imported by `registry.services.import_files`
(one batch into the committee; the members of the two cells sharing the name "Chi bộ Văn phòng Ban"
come in a batch per grassroots organisation, see demo.rolls). Import places each member straight in
the new cell named on the roll, with the source rows as provenance (no transfer event from the
predecessor). What the rolls do not carry is then applied through members.services: the rest of the
profile (place of birth, ethnicity, education, position, …) and the events after recognition
(badges, exemptions, temporary transfers).
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from dangbo.accounts.services import account_create
from dangbo.demo.plan import MERGER_DATE, MERGER_DECISION, MERGER_DECISION_DATE, committee_plan, plan_members
from dangbo.demo.rolls import write_rolls
from dangbo.members.badgedays import badge_days_batched
from dangbo.members.services import member_event_record, member_update
from dangbo.orgs.models import Organization
from dangbo.orgs.services import org_dissolve, org_found
from dangbo.reports.tallies import tallies_batched

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
    rolls: Path | None = None  # where the predecessor rolls were written (None: nothing built this run)
    #: one per import batch: {"org", "files", "rows", "persons", "merged_pairs", "review_pairs"}
    imports: list[dict] = field(default_factory=list)


def _logins(root, secretary_org, member) -> list[tuple[str, str, str]]:
    from django.contrib.auth import get_user_model

    from dangbo.elections.demo import TELLER_LOGINS

    tellers = set(get_user_model().objects.filter(username__in=TELLER_LOGINS).values_list("username", flat=True))
    return [
        ("vanphong", DEMO_PASSWORD, f"Cán bộ Văn phòng — toàn {root.name}"),
        ("bithu", DEMO_PASSWORD, f"Bí thư — {secretary_org.name}"),
        ("dangvien", DEMO_PASSWORD, f"Đảng viên, đại biểu đại hội — {member.full_name}"),
    ] + [(u, DEMO_PASSWORD, f"Ban Kiểm phiếu, bàn nhập phiếu {i} (lần bầu đang kiểm phiếu)")
         for i, u in enumerate(TELLER_LOGINS[:2], start=1) if u in tellers]


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


def _member_events(mp, rng):
    """The dated events of one planned member after admission and recognition (which the import
    records from the rolls), in date order."""
    p = mp.person
    events = []
    for tier, on in mp.badges:
        events.append((on, "badge", {"details": {"tier": tier}}))
    if mp.exempt:
        start = max(p.official_date or p.admission_date, MERGER_DATE) + timedelta(days=rng.randint(15, 120))
        events.append((start, "exemption", {"note": "Miễn sinh hoạt do tuổi cao, sức khỏe yếu (Điều lệ Đảng, Điều 7)."}))
    if mp.temporary_transfer:
        start, until = mp.temporary_transfer
        if p.official_date and start < p.official_date:
            # The import records the recognition first, so a transfer planned to start while still
            # probationary starts on the recognition day instead, for as long as planned.
            shift = p.official_date - start
            start, until = start + shift, until + shift
        events.append((start, "temp_transfer_out", {"place": rng.choice(STUDY_PLACES), "end_date": until,
                                                    "details": {"study": True}}))
    events.sort(key=lambda e: e[0])
    return events


def _import_rolls(plan, orgs, members, *, seed, today, folder: Path, progress=None) -> list[dict]:
    """Write the predecessor rolls into `folder` and import them (registry.services.import_files)."""
    from dangbo.registry.services import import_files

    rolls = write_rolls(plan, folder, seed=seed, today=today, members=members)
    out = []
    for code, paths in rolls.batches:
        summary = import_files(paths, organization=orgs[code], today=today)
        totals = summary.result.report["totals"]
        out.append({"org": orgs[code].name, "files": [p.name for p in paths], "rows": summary.source_rows,
                    "persons": summary.members_created, "merged_pairs": totals["merged_pairs"],
                    "review_pairs": summary.review_pairs})
        if progress:
            progress(sum(x["persons"] for x in out), len(members))
    return out


def _existing(root) -> DemoResult:
    from dangbo.accounts.models import Account
    from dangbo.members.models import Member

    acc = {a.user.username: a for a in Account.objects.select_related("user", "organization", "member")}
    logins = []
    if {"vanphong", "bithu", "dangvien"} <= set(acc):
        logins = _logins(root, acc["bithu"].organization, acc["dangvien"].member)
    return DemoResult(False, Organization.objects.count(), Member.objects.count(), logins,
                      imports=_batches(root))


def _batches(root) -> list[dict]:
    """The import batches already recorded in the committee's subtree (oldest first)."""
    from dangbo.registry.models import ImportBatch

    out = []
    for b in ImportBatch.objects.filter(org_path__startswith=root.path).select_related("organization").order_by("id"):
        totals = b.report.get("totals", {})
        out.append({"org": b.organization.name, "files": b.files, "rows": totals.get("rows_accepted", 0),
                    "persons": b.members_created, "merged_pairs": totals.get("merged_pairs", 0),
                    "review_pairs": b.pairs.count()})
    return out


@transaction.atomic
def build_demo(*, seed: int = 2025, today: date | None = None, progress=None,
               rolls_dir: str | Path | None = None) -> DemoResult:
    """Build the demo committee (see the module docstring); `rolls_dir` defaults to VAR_DIR/demo-rolls.
    One transaction; the membership tallies are written once at its end (`tallies_batched`)."""
    with tallies_batched():
        return _build_demo(seed=seed, today=today, progress=progress, rolls_dir=rolls_dir)


def _build_demo(*, seed: int, today: date | None, progress, rolls_dir: str | Path | None) -> DemoResult:
    plan = committee_plan()
    existing = Organization.objects.filter(code=plan.committee.code).first()
    if existing is not None:
        return _existing(existing)
    today = today or date.today()
    rng = random.Random(f"{seed}:demo-events")
    orgs = _found_orgs(plan)
    members = plan_members(plan, seed=seed, today=today)
    folder = Path(rolls_dir) if rolls_dir is not None else Path(settings.VAR_DIR) / "demo-rolls"
    with badge_days_batched():  # the members' badge days recomputed once, before anything reads them
        imports = _import_rolls(plan, orgs, members, seed=seed, today=today, folder=folder, progress=progress)
        from dangbo.members.models import Member

        by_id = {m.national_id: m for m in Member.objects.filter(org_path__startswith=orgs[plan.committee.code].path)}
        for i, mp in enumerate(members):
            p = mp.person
            member = by_id[p.national_id]
            # the profile the rolls do not carry, and the ceremony date (MEM-1: the rolls have one date)
            member_update(actor=None, member=member, today=today, admission_date=p.admission_date,
                          ceremony_date=p.ceremony_date, dates_checked=True, profile={
                "place_of_birth": p.place_of_birth, "ethnicity": p.ethnicity, "religion": p.religion,
                "education": p.education, "professional_level": p.professional_level,
                "political_theory_level": p.political_theory_level, "position": p.position,
                "workplace": orgs[mp.org_code].name.replace("Chi bộ ", "").replace("Đảng bộ ", ""),
            })
            for on, kind, kw in _member_events(mp, rng):
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
    own = Member.objects.filter(org_path__startswith=secretary_org.path, state="official").order_by("name_sort").first()
    account_create(actor=None, username="vanphong", password=DEMO_PASSWORD, role="office", organization=top)
    account_create(actor=None, username="bithu", password=DEMO_PASSWORD, role="secretary", organization=secretary_org)
    account_create(actor=None, username="dangvien", password=DEMO_PASSWORD, role="member", member=own)
    # the committee's 1st congress (appointed delegates, ORG-2; check-in) and the 2025 appraisal
    from dangbo.appraisal.demo import build_appraisal_demo
    from dangbo.congress.demo import build_congress_demo

    build_congress_demo(root=top, today=today, rng=random.Random(f"{seed}:congress"))
    from dangbo.elections.demo import build_elections_demo  # a grassroots congress's paper ballots

    build_elections_demo(root=top, today=today, rng=random.Random(f"{seed}:elections"))
    from dangbo.votes.demo import build_votes_demo  # its agenda and resolution by open vote (CON-4)

    build_votes_demo(root=top, today=today, rng=random.Random(f"{seed}:votes"))
    build_appraisal_demo(root=top, today=today, rng=random.Random(f"{seed}:appraisal"))
    from dangbo.documents.demo import build_documents_demo  # a year of the committee's documents

    build_documents_demo(root=top, today=today, rng=random.Random(f"{seed}:documents"))
    from dangbo.procedures.demo import build_procedures_demo  # calendar, admission files (issue 13)

    build_procedures_demo(root=top, today=today, rng=random.Random(f"{seed}:procedures"))
    from dangbo.meetings.demo import build_meetings_demo  # cell meetings 2025– (MTG-1..8)

    build_meetings_demo(root=top, today=today, rng=random.Random(f"{seed}:meetings"))
    from dangbo.programme.demo import build_programme_demo  # the term programme (issue 12)

    build_programme_demo(root=top, today=today, rng=random.Random(f"{seed}:programme"))
    from dangbo.fees.demo import build_fees_demo  # fees 2025–2026 across the 1/2/2026 change

    build_fees_demo(root=top, today=today, rng=random.Random(f"{seed}:fees"))
    return DemoResult(True, Organization.objects.count(), Member.objects.count(), _logins(top, secretary_org, own),
                      rolls=folder, imports=imports)
