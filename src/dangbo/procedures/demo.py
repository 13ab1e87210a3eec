"""The demo's procedures: the holiday calendar of this year and the next, and three admission files
mid-way in the secretary's grassroots unit (the first cells of the committee's first grassroots
organisation): one at the application, one waiting for the cell's vote, one whose ceremony is due.

Deterministic from `rng` and `today`; idempotent (nothing is added when `root` already has files).
A handful of rows, written through the services (each step audited as in real use).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangbo.members import rules as mr
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import CELL_KINDS
from dangbo.procedures import services
from dangbo.procedures.models import Applicant
from dangbo.workdays.models import CalendarYear
from dangbo.workdays.services import year_seed

NAMES = (("Nguyễn Thị Thu Hà", "F"), ("Trần Minh Đức", "M"), ("Lê Hoàng Yến", "F"), ("Phạm Quốc Bảo", "M"),
         ("Hoàng Thị Ngọc Ánh", "F"), ("Đặng Văn Toàn", "M"))


def build_procedures_demo(*, root: Organization, today: date, rng: random.Random) -> int:
    """Returns the number of admission files created (0 when the demo already has them)."""
    for year in (today.year, today.year + 1):
        if not CalendarYear.objects.filter(year=year).exists():
            year_seed(actor=None, year=year)
    if Applicant.objects.filter(org_path__startswith=root.path).exists():
        return 0
    grassroots = Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1,
                                             valid_to__isnull=True).order_by("path").first()
    cells = list(Organization.objects.filter(path__startswith=grassroots.path, kind__in=list(CELL_KINDS),
                                             valid_to__isnull=True).order_by("path"))
    names = rng.sample(NAMES, 3)
    made = 0
    for stage, ((name, sex), cell) in enumerate(zip(names, cells[:3] * 3, strict=False)):
        officials = list(Member.objects.filter(organization=cell, state=mr.OFFICIAL).order_by("name_sort")[:2])
        birth = date(today.year - rng.randint(22, 35), rng.randint(1, 12), rng.randint(1, 28))
        a = services.applicant_create(actor=None, organization=cell, full_name=name, sex=sex, birth_date=birth,
                                      today=today)
        start = today - timedelta(days=200 - 40 * stage)
        kw = {"actor": None, "today": today}
        a = services.step_course(applicant=a, course_date=start, course_number=f"{rng.randint(10, 99)}/GCN", **kw)
        a = services.step_application(applicant=a, application_date=start + timedelta(days=7), **kw)
        made += 1
        if stage == 0 or len(officials) < 2:
            continue
        a = services.step_background(applicant=a, background_date=start + timedelta(days=14),
                                     verified_date=start + timedelta(days=45), **kw)
        a = services.step_introducers(applicant=a, introduced_date=start + timedelta(days=50), introducers=[
            {"kind": "member", "member_id": officials[0].id, "months": rng.randint(13, 60)},
            {"kind": "member", "member_id": officials[1].id, "months": rng.randint(13, 60)}], **kw)
        if stage == 1:
            continue
        n = Member.objects.filter(organization=cell, state__in=list(mr.OFFICIAL_STATES)).count()
        a = services.step_cell(applicant=a, resolution_date=start + timedelta(days=60), official_count=n,
                               votes_for=n, **kw)
        a = services.step_committee(applicant=a, resolution_date=start + timedelta(days=70), member_count=9,
                                    votes_for=8, **kw)
        services.step_decision(applicant=a, decision_number=f"{rng.randint(100, 300)}-QĐ/ĐU",
                               decision_date=min(start + timedelta(days=80), today - timedelta(days=14)),
                               received_date=today - timedelta(days=12), **kw)
    return made
