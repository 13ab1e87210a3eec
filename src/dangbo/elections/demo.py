"""Demo data for paper-ballot elections: the members' congress of the smallest grassroots cell
(20/6/2025, term 2025–2030). Its official members are summoned and all but two checked in (the two
are absent with an accepted reason, so they leave the base, CON-7); a counting committee of three
is approved by show of hands (CON-4, CON-9), each of its members with a login of their own
(`kiemphieu1` the head, `kiemphieu2`, `kiemphieu3`; the demo password), since only they may enter
ballots (`elections.services.teller_problem`). It elects its executive committee
(3 seats, 4 names): two names pass clearly and the other two tie at the cut-off, so a runoff among
the tied settles the last seat (CON-8); then the secretary on an agree / disagree ballot (no
surplus, CON-5). Every ballot is entered by both tellers (kiemphieu1 at desk 1, kiemphieu2 at desk 2); one ballot is mistyped by teller 2 and
re-read by the committee, one is contested and ruled valid (CON-6). Last, the delegates to the upper
congress (2 seats, 3 names) are still being counted, to practise on: the box is sealed, teller 1
(`kiemphieu1`) has entered half the ballots, teller 2 (`kiemphieu2`) a third, one of them read
differently (waiting on the committee's desk); the rest are left for the two desks. Deterministic
given `rng`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangbo.accounts.models import Account
from dangbo.accounts.services import account_create
from dangbo.congress.models import COUNTING, ELECTED, KIND_MEMBERS, OFFICIAL, Congress
from dangbo.congress.services import (
    body_member_add,
    body_vote_record,
    congress_create,
    delegate_add,
    delegate_check_in,
)
from dangbo.demo.build import DEMO_PASSWORD
from dangbo.elections import services
from dangbo.elections.models import EXEC_COMMITTEE, MISMATCH, SECRETARY, UPPER_DELEGATES, Election
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import GRASSROOTS_KINDS

#: the demo logins of the counting committee, head first (README's demo paragraph)
TELLER_LOGINS = ("kiemphieu1", "kiemphieu2", "kiemphieu3")
DAY = date(2025, 6, 20)
TERM = "2025–2030"
SEATS = 3
ABSENT = 2


def _pick_org(root: Organization) -> Organization | None:
    """The smallest grassroots cell (a members' congress), else the smallest grassroots organisation."""
    orgs = list(Organization.objects.filter(parent=root, valid_to__isnull=True, kind__in=GRASSROOTS_KINDS))
    sized = [(Member.objects.filter(org_path__startswith=o.path, away=False,
                                    state__in=member_rules.OFFICIAL_STATES).count(), o) for o in orgs]
    sized = [(n, o) for n, o in sized if n >= 9]
    if not sized:
        return None
    cells = [(n, o) for n, o in sized if o.kind == "grassroots_cell"] or sized
    return min(cells, key=lambda t: (t[0], t[1].path))[1]


def _spread(n_ballots: int, targets: list[tuple[int, int]], rng: random.Random) -> list[set[int]]:
    """Ballots whose kept names give each candidate exactly its target votes, names spread evenly
    over the ballots (the fewest-names-first ballots take the next candidate's votes)."""
    ballots: list[set[int]] = [set() for _ in range(n_ballots)]
    for no, votes in targets:
        order = list(range(n_ballots))
        rng.shuffle(order)
        order.sort(key=lambda i: len(ballots[i]))
        for i in order[:votes]:
            ballots[i].add(no)
    return ballots


def _count(election: Election, ballots: list, *, rng: random.Random, tellers: list, agree: bool = False,
           mistype: int | None = None, contested: int | None = None, ruling: str = "") -> Election:
    """Enter every ballot twice (teller 1 and teller 2: `tellers[0]`, `tellers[1]`), with one mistyped
    and one contested if asked, settle them as the counting committee's head, and tally."""
    n = len(ballots)
    election = services.election_count_start(actor=None, election=election, issued=n, returned=n)
    order = list(range(1, n + 1))
    rng.shuffle(order)  # the two tellers do not enter in the same order
    for teller, seq in ((1, range(1, n + 1)), (2, order)):
        for no in seq:
            reading = ballots[no - 1]
            kw = {"marks": reading} if agree else {"kept": sorted(reading)}
            if teller == 2 and no == mistype:
                kw = {"kept": sorted(reading)[:-1]} if not agree else {"marks": {k: "disagree" for k in reading}}
            services.ballot_enter(actor=tellers[teller - 1], election=election, teller=teller, ballot_no=no,
                                  contested=(no == contested), **kw)
    for b in election.ballots.filter(status=MISMATCH):
        reading = ballots[b.ballot_no - 1]
        kw = {"marks": reading} if agree else {"kept": sorted(reading)}
        services.ballot_resolve(actor=tellers[0], ballot=b, reason="Ban Kiểm phiếu đọc lại phiếu giấy: tổ viên 2 "
                                "nhập thiếu một tên giữ lại.", **kw)
    if contested is not None:
        b = election.ballots.get(ballot_no=contested)
        services.ballot_rule(actor=tellers[0], ballot=b, valid=True, reason=ruling)
    return services.election_tally(actor=None, election=election)


def build_elections_demo(*, root: Organization, today: date, rng: random.Random) -> Congress | None:
    """Create the grassroots congress and its elections. Idempotent: an existing congress of the
    chosen organisation for the term is returned untouched; nothing before the congress's day."""
    if today < DAY:
        return None
    org = _pick_org(root)
    if org is None:
        return None
    existing = Congress.objects.filter(organization=org, term=TERM, kind=KIND_MEMBERS).first()
    if existing is not None:
        return existing
    congress = congress_create(actor=None, organization=org, kind=KIND_MEMBERS, term=TERM, start_date=DAY,
                               end_date=DAY, name=f"Đại hội {org.name} lần thứ I, nhiệm kỳ {TERM}")
    pool = list(Member.objects.filter(org_path__startswith=org.path, away=False,
                                      state__in=member_rules.OFFICIAL_STATES).order_by("name_sort", "id"))
    delegates = [delegate_add(actor=None, congress=congress, member=m, kind=OFFICIAL, obtained=ELECTED,
                              from_org=org, number=i) for i, m in enumerate(pool, start=1)]
    absent = set(rng.sample(range(len(delegates)), ABSENT))
    opening = timezone.make_aware(datetime.combine(DAY, time(7, 30)))
    present = []
    for i, d in enumerate(delegates):
        if i not in absent:
            delegate_check_in(actor=None, congress=congress, delegate=d,
                              at=opening + timedelta(seconds=rng.randint(0, 1800)))
            present.append(d)
    n = len(present)  # every member present votes; the base is the present (the absent had a reason)

    # the executive committee: 4 names for 3 seats, official list order = name order
    chosen = sorted(rng.sample(present, 4), key=lambda d: (d.member.name_sort, d.member.id))
    # the counting committee (CON-9): three members present who are on no list, approved by hands
    # members who already have a login of their own (e.g. the demo's `dangvien`) are not picked
    with_login = set(Account.objects.filter(member__isnull=False).exclude(user__username__in=TELLER_LOGINS)
                     .values_list("member_id", flat=True))
    committee = rng.sample([d for d in present if d not in chosen and d.member_id not in with_login], 3)
    tellers = []
    for i, d in enumerate(committee):
        body_member_add(actor=None, congress=congress, kind=COUNTING, delegate=d, is_head=i == 0)
        tellers.append(account_create(actor=None, username=TELLER_LOGINS[i], password=DEMO_PASSWORD, role="member",
                                      member=d.member))
    body_vote_record(actor=None, congress=congress, kind=COUNTING, votes_for=n, votes_against=0, votes_abstain=0,
                     at=opening + timedelta(hours=1))
    e = services.election_create(actor=None, congress=congress, body=EXEC_COMMITTEE, seats=SEATS,
                                 candidates=[(d.member.full_name, d.member) for d in chosen])
    e = services.election_base_set(actor=None, election=e, excluded={"absent_with_reason": ABSENT})
    e = services.election_open(actor=None, election=e)
    need = e.base // 2 + 1
    first, second, tied_a, tied_b = rng.sample([1, 2, 3, 4], 4)
    ballots = _spread(n, [(first, n - 1), (second, n - 2), (tied_a, need), (tied_b, need)], rng)
    mistype, contested = rng.sample(range(1, n + 1), 2)
    e = _count(e, ballots, rng=rng, tellers=tellers, mistype=mistype, contested=contested,
               ruling="Vết mực nhỏ ở lề phiếu, không phải dấu hiệu riêng: phiếu hợp lệ.")
    # CON-8: the two tied at the cut-off are re-voted for the last seat; the highest wins
    runoff = services.election_next_round(actor=None, election=e)
    runoff = services.election_open(actor=None, election=runoff)
    winner = rng.choice([1, 2])
    wins = n // 2 + 1 + (n % 2)
    votes = [{winner}] * wins + [{3 - winner}] * (n - wins)
    rng.shuffle(votes)
    runoff = _count(runoff, votes, rng=rng, tellers=tellers)
    elected = services.elected_names(e) + services.elected_names(runoff)

    # the secretary: one name, agree / disagree ballot, from the new executive committee
    top = next(c for c in e.candidates.all() if c.no == first)
    sec = services.election_create(actor=None, congress=congress, body=SECRETARY, seats=1,
                                   candidates=[(top.full_name, top.member)])
    sec = services.election_base_set(actor=None, election=sec, excluded={"absent_with_reason": ABSENT})
    sec = services.election_open(actor=None, election=sec)
    marks = [{"1": "agree"}] * (n - 2) + [{"1": "disagree"}, {}]
    rng.shuffle(marks)
    _count(sec, marks, rng=rng, tellers=tellers, agree=True)
    assert top.full_name in elected
    _counting_round(congress, present, committee, n, rng=rng, tellers=tellers)
    return congress


def _counting_round(congress: Congress, present: list, committee: list, n: int, *, rng: random.Random,
                    tellers: list) -> Election:
    """The delegates to the upper congress, left half counted for the tellers to practise on."""
    names = sorted(rng.sample([d for d in present if d not in committee], 3), key=lambda d: (d.member.name_sort,
                                                                                              d.member.id))
    e = services.election_create(actor=None, congress=congress, body=UPPER_DELEGATES, seats=2,
                                 candidates=[(d.member.full_name, d.member) for d in names])
    e = services.election_base_set(actor=None, election=e, excluded={"absent_with_reason": ABSENT})
    e = services.election_open(actor=None, election=e)
    e = services.election_count_start(actor=None, election=e, issued=n, returned=n)
    ballots = [sorted(rng.sample([1, 2, 3], rng.choice([1, 2, 2, 2]))) for _ in range(n)]
    misread = 1
    for teller, upto in ((1, n // 2), (2, n // 3)):
        for no in range(1, upto + 1):
            kept = ballots[no - 1]
            if teller == 2 and no == misread:
                kept = [k for k in (1, 2, 3) if k not in kept][:2]  # teller 2 misreads the first ballot
            services.ballot_enter(actor=tellers[teller - 1], election=e, teller=teller, ballot_no=no, kept=kept)
    return e
