"""Demo data for the congress slice: the committee's 1st congress (delegates' congress, 28–29/7/2025,
term 2025–2030). The committee was formed by merging, so it elects nobody: its 184 official
delegates are appointed by the upper standing committee (ORG-2), drawn from the official members of
the 12 grassroots organisations in proportion to their membership (CON-2 allocation, at least one
each), and all of them but a handful are checked in, so the quorum page shows a valid congress.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangbo.congress import rules
from dangbo.congress.models import APPOINTED, KIND_DELEGATES, OFFICIAL, Congress
from dangbo.congress.services import congress_create, delegate_add, delegate_check_in
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import GRASSROOTS_KINDS

START, END = date(2025, 7, 28), date(2025, 7, 29)
TERM = "2025–2030"
SEATS = 184
ABSENT = 5  # delegates who do not come (the quorum still holds: 179 ≥ 123, 12 ≥ 8)


def build_congress_demo(*, root: Organization, today: date, rng: random.Random, seats: int = SEATS,
                        absent: int = ABSENT) -> Congress:
    """Create the committee's 1st congress with its appointed delegates and their check-in.

    Idempotent: a congress of `root` for the term already there is returned untouched.
    """
    existing = Congress.objects.filter(organization=root, term=TERM, kind=KIND_DELEGATES).first()
    if existing is not None:
        return existing
    congress = congress_create(
        actor=None, organization=root, kind=KIND_DELEGATES, term=TERM, start_date=START, end_date=END,
        name=f"Đại hội đại biểu {root.name} lần thứ I, nhiệm kỳ {TERM}")
    grassroots = list(Organization.objects.filter(parent=root, valid_to__isnull=True,
                                                  kind__in=GRASSROOTS_KINDS).order_by("path"))
    pools: dict[str, list[Member]] = {}
    for org in grassroots:
        pool = list(Member.objects.filter(org_path__startswith=org.path, away=False,
                                          state__in=member_rules.OFFICIAL_STATES).order_by("name_sort", "id"))
        if pool:
            pools[org.code] = pool
    if not pools:
        return congress
    seats = min(seats, sum(len(p) for p in pools.values()))
    shares = rules.allocate([(code, len(pool)) for code, pool in pools.items()], seats,
                            base_per_org=1 if seats >= len(pools) else 0)
    by_code = {o.code: o for o in grassroots}
    chosen: list[tuple[Organization, Member]] = []
    for code, pool in pools.items():
        picked = rng.sample(pool, min(shares[code], len(pool)))
        chosen += [(by_code[code], m) for m in sorted(picked, key=lambda m: (m.name_sort, m.id))]
    delegates = [delegate_add(actor=None, congress=congress, member=m, kind=OFFICIAL, obtained=APPOINTED,
                              from_org=org, number=i) for i, (org, m) in enumerate(chosen, start=1)]
    if today >= START:
        away = set(rng.sample(range(len(delegates)), min(absent, len(delegates))))
        opening = timezone.make_aware(datetime.combine(START, time(7, 0)))
        for i, d in enumerate(delegates):
            if i not in away:
                delegate_check_in(actor=None, congress=congress, delegate=d,
                                  at=opening + timedelta(seconds=rng.randint(0, 5400)))
    return congress
