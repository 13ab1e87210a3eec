"""Demo data for the congress slice: the committee's 1st congress (delegates' congress, 28–29/7/2025,
term 2025–2030). The committee was formed by merging, so it elects nobody: its 184 official
delegates are appointed by the upper standing committee (ORG-2), drawn from the official members of
the 12 grassroots organisations in proportion to their membership (CON-2 allocation, at least one
each), and all of them but a handful are checked in, so the quorum page shows a valid congress. Its set-up
(`set_up_congress_demo`): three sessions with their agenda, two appointed alternates (one takes an
absent delegate's seat), every credential accepted with the committee's report, and the presidium,
secretariat, credentials and counting committees approved by show of hands.

Members who already have a login of their own (the demo's `dangvien`) are among the delegates of
their organisation and checked in, so the delegate's phone page (`/bieu-quyet/`) shows them the
congress's votes; they are chosen without drawing from `rng`, so the rest of the demo is unchanged.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangbo.accounts.models import Account
from dangbo.congress import rules
from dangbo.congress.models import (
    ALTERNATE,
    APPOINTED,
    COUNTING,
    CREDENTIALS,
    KIND_DELEGATES,
    OFFICIAL,
    PRESIDIUM,
    SECRETARIAT,
    Congress,
)
from dangbo.congress.selectors import quorum
from dangbo.congress.services import (
    agenda_item_add,
    alternate_replace,
    body_member_add,
    body_vote_record,
    congress_create,
    credentials_accept_pending,
    delegate_add,
    delegate_check_in,
    document_issue,
    session_add,
)
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
        set_up_congress_demo(existing, today=today, rng=rng)
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
    with_login = set(Account.objects.filter(member__isnull=False).values_list("member_id", flat=True))
    chosen: list[tuple[Organization, Member]] = []
    for code, pool in pools.items():
        picked = rng.sample(pool, min(shares[code], len(pool)))
        for m in pool:  # a member with a login of their own takes the place of the last one drawn without
            free = [k for k, p in enumerate(picked) if p.pk not in with_login]
            if m.pk in with_login and m not in picked and free:
                picked[free[-1]] = m
        chosen += [(by_code[code], m) for m in sorted(picked, key=lambda m: (m.name_sort, m.id))]
    delegates = [delegate_add(actor=None, congress=congress, member=m, kind=OFFICIAL, obtained=APPOINTED,
                              from_org=org, number=i) for i, (org, m) in enumerate(chosen, start=1)]
    if today >= START:
        away = set(rng.sample(range(len(delegates)), min(absent, len(delegates))))
        for i in sorted(away):  # a member with a login comes: the first delegate without one stays away
            if delegates[i].member_id in with_login:
                away.discard(i)
                stand_in = next((j for j in range(len(delegates))
                                 if j not in away and delegates[j].member_id not in with_login), None)
                if stand_in is not None:
                    away.add(stand_in)
        opening = timezone.make_aware(datetime.combine(START, time(7, 0)))
        for i, d in enumerate(delegates):
            if i not in away:
                delegate_check_in(actor=None, congress=congress, delegate=d,
                                  at=opening + timedelta(seconds=rng.randint(0, 5400)))
    set_up_congress_demo(congress, today=today, rng=rng)
    return congress


SESSIONS = [
    ("Phiên trù bị", START, ["Bầu Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu, Ban Kiểm phiếu",
                             "Thông qua chương trình và quy chế làm việc của đại hội",
                             "Quán triệt nội dung, yêu cầu của đại hội"]),
    ("Phiên chính thức — khai mạc", END, ["Chào cờ, tuyên bố lý do, giới thiệu đại biểu",
                                         "Diễn văn khai mạc",
                                         "Báo cáo thẩm tra tư cách đại biểu",
                                         "Báo cáo chính trị của Ban Chấp hành"]),
    ("Phiên chính thức — bế mạc", END, ["Công bố quyết định chỉ định Ban Chấp hành nhiệm kỳ 2025–2030",
                                       "Thông qua nghị quyết đại hội", "Bế mạc"]),
]
BODY_SIZES = [(PRESIDIUM, 5), (SECRETARIAT, 3), (CREDENTIALS, 5), (COUNTING, 5)]


def set_up_congress_demo(congress: Congress, *, today: date, rng: random.Random) -> None:
    """Sessions and agenda, two alternates (one replacing an absent delegate), the credentials
    verified with the committee's report (CON-3, numbered in the CON-10 series) and the four bodies
    approved by show of hands (CON-4). Idempotent: a congress that has sessions is left as it is."""
    if congress.sessions.exists():
        return
    for title, day, items in SESSIONS:
        session = session_add(actor=None, congress=congress, title=title, date_=day)
        for item in items:
            agenda_item_add(actor=None, session=session, title=item)
    if today < START or not congress.delegates.exists():
        return
    opening = timezone.make_aware(datetime.combine(START, time(7, 0)))
    _alternates(congress, rng=rng, at=opening)
    credentials_accept_pending(actor=None, congress=congress, at=opening)
    document_issue(actor=None, congress=congress, kind="credentials_report", title="Báo cáo thẩm tra tư cách đại biểu",
                   ref=f"credentials:{congress.pk}", at=opening + timedelta(hours=2))
    seated = list(congress.delegates.filter(kind=OFFICIAL, replaced_by__isnull=True, checked_in_at__isnull=False)
                  .order_by("number"))
    picks = rng.sample(seated, min(len(seated), sum(n for _, n in BODY_SIZES)))
    present = quorum(congress).present
    for kind, size in BODY_SIZES:
        members, picks = picks[:size], picks[size:]
        for i, d in enumerate(members):
            body_member_add(actor=None, congress=congress, kind=kind, delegate=d, is_head=i == 0)
        if members:
            against = rng.randint(0, 2)
            body_vote_record(actor=None, congress=congress, kind=kind, votes_for=present - against,
                             votes_against=against, votes_abstain=0, at=opening + timedelta(minutes=95))


def _alternates(congress: Congress, *, rng: random.Random, at) -> None:
    """Two appointed alternates: one of an absent delegate's delegation takes the seat and checks in."""
    absent = list(congress.delegates.filter(kind=OFFICIAL, checked_in_at__isnull=True).select_related("from_org"))
    taken = set(congress.delegates.values_list("member_id", flat=True))
    delegations = [d.from_org for d in absent[:1]]
    delegations += [o for o in Organization.objects.filter(pk__in=congress.delegates.values("from_org"))
                    .order_by("path") if o not in delegations][:1]
    for i, org in enumerate(delegations):
        pool = [m for m in Member.objects.filter(org_path__startswith=org.path, away=False,
                                                 state__in=member_rules.OFFICIAL_STATES).order_by("name_sort", "id")[:50]
                if m.pk not in taken]
        if not pool:
            continue
        alt = delegate_add(actor=None, congress=congress, member=rng.choice(pool), kind=ALTERNATE,
                           obtained=APPOINTED, from_org=org)
        if i == 0 and absent:
            alternate_replace(actor=None, congress=congress, absent=absent[0], alternate=alt)
            delegate_check_in(actor=None, congress=congress, delegate=alt, at=at + timedelta(minutes=40))
