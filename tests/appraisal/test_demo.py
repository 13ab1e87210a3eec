"""The appraisal demo on the small `world`: prior years decided under 124-QĐ/TW, 2025 finished for
one grassroots organisation (members and organisations), a suspended member not reviewed; idempotent."""

import random
from datetime import date

from dangbo.appraisal import kept, rules
from dangbo.appraisal.demo import build_appraisal_demo
from dangbo.appraisal.models import DECIDED, Campaign, QuotaCount
from dangbo.members.rules import replay_status


def test_demo_builds_history_and_a_half_finished_2025(world):
    c = build_appraisal_demo(root=world.root, today=date(2026, 1, 20), rng=random.Random(7))
    assert sorted(Campaign.objects.filter(organization=world.root).values_list("year", flat=True)) == \
        [2021, 2022, 2023, 2024, 2025]
    old = Campaign.objects.get(organization=world.root, year=2023)
    assert old.regulation == rules.REGULATION_124 and not old.reviews.exclude(status=DECIDED).exists()
    suspended = c.reviews.filter(member__suspended=True)
    assert suspended.count() == 1 and suspended.get().decided_grade == rules.NOT_REVIEWED
    m = suspended.get().member  # the flag is the registry's cache of its events
    assert replay_status([(e.kind, e.details) for e in m.events.all()]) == (m.state, m.away, True)
    decided_orgs = c.org_reviews.filter(status=DECIDED)
    assert decided_orgs.exists() and decided_orgs.count() < c.org_reviews.count()
    for o in decided_orgs:  # APR-5: decided only once every member of the organisation is
        assert not c.reviews.filter(org_path__startswith=o.org_path).exclude(status=DECIDED).exists()
    n = (Campaign.objects.count(), c.reviews.filter(status=DECIDED).count())
    assert build_appraisal_demo(root=world.root, today=date(2026, 1, 20), rng=random.Random(7)) == c
    assert (Campaign.objects.count(), c.reviews.filter(status=DECIDED).count()) == n
    assert QuotaCount.objects.filter(n__gt=0).exists() and kept.rebuild(dry_run=True) == 0  # APR-4 counts kept
