"""The programme demo on the small `world`: six targets (three marked demo data), five key tasks,
models in most but not all grassroots organisations, 2025 and 2026 figures, one organisation behind;
deterministic and idempotent."""

import random
from datetime import date

from dangbo.audit.models import AuditEvent
from dangbo.programme import selectors
from dangbo.programme.demo import build_programme_demo
from dangbo.programme.models import Figure, ModelRecord, Target


def snapshot():
    return (sorted(ModelRecord.objects.values_list("organization_id", "kind", "title", "start_year")),
            sorted(Figure.objects.values_list("target__code", "organization_id", "year", "value")))


def test_demo_programme(world):
    w = world
    for code, name in (("C", "Chi bộ cơ sở C"), ("D", "Chi bộ cơ sở D")):
        from dangbo.orgs.services import org_found

        org_found(actor=None, code=code, name=name, kind="grassroots_cell", parent=w.root, on=date(2025, 7, 1))
    p = build_programme_demo(root=w.root, today=date(2026, 12, 7), rng=random.Random(3))
    targets = p.targets.filter(category=Target.TARGET)
    assert targets.count() == 6 and targets.filter(demo_data=True).count() == 3
    assert p.tasks.count() == 5 and p.targets.filter(category=Target.DIGITAL).count() == 3
    holders = set(ModelRecord.objects.values_list("organization_id", flat=True))
    grassroots = {w.a.id, w.b.id} | set(w.root.children.filter(code__in=("C", "D")).values_list("id", flat=True))
    assert holders and holders < grassroots  # most, not all
    assert set(Figure.objects.values_list("year", flat=True)) == {2025, 2026}
    data = selectors.programme_status(w.root, 2026)
    ct1 = next(r for r in data["targets"] if r["code"] == "CT1")
    assert ct1["met"] is False and ct1["organizations"].meeting < ct1["organizations"].counted  # one behind
    assert AuditEvent.objects.filter(action="programme.demo_load").count() == 1
    before = snapshot()
    assert build_programme_demo(root=w.root, today=date(2026, 12, 7), rng=random.Random(3)) == p
    assert snapshot() == before


def test_demo_is_deterministic(world):
    build_programme_demo(root=world.root, today=date(2026, 12, 7), rng=random.Random(3))
    first = [(o, k, t) for o, k, t, _ in snapshot()[0]], snapshot()[1]
    from dangbo.programme.models import CongressPlan, Programme

    Programme.objects.all().delete()
    ModelRecord.objects.all().delete()
    CongressPlan.objects.all().delete()
    build_programme_demo(root=world.root, today=date(2026, 12, 7), rng=random.Random(3))
    assert ([(o, k, t) for o, k, t, _ in snapshot()[0]], snapshot()[1]) == first
