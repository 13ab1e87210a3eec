"""Demo data for open votes (CON-4): the committee's 1st congress approved its agenda by a show of
hands (counts entered by the secretariat; base: those present) and adopted its resolution from the
delegates' phones (one `VoteCast` per delegate present, written through `vote_cast`), counted on the
congress's members: the official delegates summoned minus those absent for the whole congress with no
alternate, which the secretariat entered before opening (Điều lệ Điều 9.5). A third vote, from the
phones, is left unopened to practise on: the office opens it on its control page and the delegates
checked in (the demo member `dangvien` among them) see the buttons on their phone page. Idempotent: a
congress that already has open votes is left as it is."""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangbo.congress.models import KIND_DELEGATES, Congress
from dangbo.congress.selectors import absent_officials
from dangbo.orgs.models import Organization
from dangbo.votes import services
from dangbo.votes.models import OpenVote

AGENDA = "Thông qua chương trình Đại hội"
RESOLUTION = "Thông qua Nghị quyết Đại hội đại biểu lần thứ I, nhiệm kỳ 2025–2030"
PRACTICE = "Thông qua Quy chế bầu cử tại Đại hội (biểu quyết thử)"


def _at(day: date, hh: int, mm: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def build_votes_demo(*, root: Organization, today: date, rng: random.Random) -> list[OpenVote]:
    congress = Congress.objects.filter(organization=root, kind=KIND_DELEGATES).order_by("start_date", "id").first()
    if congress is None or today < congress.end_date:
        return []
    existing = list(OpenVote.objects.filter(congress=congress))
    if existing:
        return existing
    if not congress.delegates.filter(checked_in_at__isnull=False).exists():
        return []

    agenda = services.vote_create(actor=None, congress=congress, subject=AGENDA, kind="agenda")
    agenda = services.vote_open(actor=None, vote=agenda, at=_at(congress.start_date, 9, 5))
    against = rng.randint(0, 2)
    services.vote_hands_enter(actor=None, vote=agenda, votes_for=agenda.base - against, votes_against=against,
                              votes_abstain=0)
    agenda = services.vote_close(actor=None, vote=agenda, at=_at(congress.start_date, 9, 7))

    resolution = services.vote_create(actor=None, congress=congress, subject=RESOLUTION, kind="resolution",
                                      mode="phones")
    absent = absent_officials(congress).count()  # no check-in all congress, no alternate in the seat
    resolution = services.vote_exclusions_set(actor=None, vote=resolution,
                                              excluded={"absent_without_alternate": absent})
    opened = _at(congress.end_date, 15, 30)
    resolution = services.vote_open(actor=None, vote=resolution, at=opened)
    voters = list(congress.delegates.filter(checked_in_at__isnull=False, checked_in_at__lte=opened)
                  .order_by("number"))
    for d in voters:
        if not services.delegate_may_vote(resolution, d, opened) or rng.random() < 0.02:
            continue  # an alternate not seated, or a delegate who did not press
        choice = rng.choices(["for", "against", "abstain"], weights=[95, 3, 2])[0]
        services.vote_cast(actor=None, vote=resolution, delegate=d, choice=choice, token=uuid.uuid4().hex,
                           at=opened + timedelta(seconds=rng.randint(2, 90)))
    resolution = services.vote_close(actor=None, vote=resolution, at=opened + timedelta(minutes=3))
    practice = services.vote_create(actor=None, congress=congress, subject=PRACTICE, kind="rules", mode="phones")
    return [agenda, resolution, practice]
