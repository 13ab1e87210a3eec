"""The fee demo on the small `world`: across the 1/2/2026 change, payments match the rules, some
online, a member in arrears; deterministic and idempotent."""

import random
from datetime import date

from dangbo.fees import rules, selectors
from dangbo.fees.demo import build_fees_demo
from dangbo.fees.models import Declaration, Payment


def test_demo_fees(world, monkeypatch):
    monkeypatch.setattr(selectors, "this_month", lambda today=None: rules.month_index(2026, 6))
    n = build_fees_demo(root=world.root, today=date(2026, 6, 20), rng=random.Random(3))
    assert n == Payment.objects.count() > 0
    assert set(Declaration.objects.values_list("member_id", flat=True)) == {world.hung.id, world.lan.id, world.hoa.id}
    assert not Payment.objects.filter(member=world.stranger).exists()  # another tree
    months = set(Payment.objects.values_list("month", flat=True))
    assert {rules.regime_for_month(*rules.month_of_index(i)) for i in months} == {"342-QĐ/TW", "01-QĐ/TW"}
    # every non-excused payment is what the rules say was due (the selectors agree with the demo)
    for p in Payment.objects.exclude(method="excused").select_related("member"):
        d = selectors.dues([p.member], p.month, p.month)[p.member_id][p.month]
        assert p.amount == p.due == d.due
    # the 3 members are in the arrears sample (25 asked, 3 available): unpaid months in 2026
    late = selectors.unpaid_months([world.hung.id, world.lan.id, world.hoa.id], 2026)
    assert late and all(len(v) >= 3 for v in late.values())
    assert build_fees_demo(root=world.root, today=date(2026, 6, 20), rng=random.Random(3)) == 0
    assert Payment.objects.count() == n
