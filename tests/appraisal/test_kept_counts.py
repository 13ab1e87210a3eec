"""The APR-4 counts kept per unit, peer group and grade (appraisal.kept) stay exact under every writer
of a review, and the quota boxes read from them equal the grouped count of the reviews they replaced
(the oracle: `quota_boxes` at ecabd23, kept below)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Case, Count, F, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.accounts.selectors import scope_of
from dangbo.accounts.services import account_create
from dangbo.appraisal import kept, rules, services
from dangbo.appraisal.models import DECIDED, PROPOSED, QuotaCount, Review
from dangbo.appraisal.selectors import quota_boxes, review_list
from dangbo.core.errors import InvalidInput
from dangbo.members.services import member_event_record
from dangbo.orgs.models import Organization


def quota_boxes_oracle(*, user, campaign, unit_id=None, preview=None, exceptions=()):
    """quota_boxes at ecabd23: the reviews counted in the database, grouped by unit, peer group and grade."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    qs = review_list(user=user, campaign=campaign).exclude(proposed_grade="").order_by()
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    preview = {pk: g for pk, g in (preview or {}).items() if g}
    standing = Case(When(status=DECIDED, then=F("decided_grade")), default=F("proposed_grade"))
    grades = list(qs.exclude(pk__in=preview).annotate(grade=standing).values("unit_id", "peer_group", "grade")
                  .annotate(n=Count("id")).values_list("unit_id", "peer_group", "grade", "n"))
    if preview:
        grades += [(unit, group, preview[pk], 1) for pk, unit, group in
                   qs.filter(pk__in=preview).values_list("pk", "unit_id", "peer_group")]
    counts = {}
    for unit, group, grade, n in grades:
        if not grade or grade == rules.NOT_REVIEWED:
            continue
        c = counts.setdefault((unit, group), [0, 0])
        c[0] += n if grade == rules.GOOD else 0
        c[1] += n if grade == rules.EXCELLENT else 0
    units = {pk: name for pk, name, path in Organization.objects.filter(pk__in={u for u, _ in counts})
             .values_list("pk", "name", "path") if path.startswith(scope.org_path)}
    cfg = services.rule_settings()
    out = [{"unit_id": unit, "unit": units[unit], "peer_group": group,
            **rules.quota_of_counts(good, excellent, exception=group in exceptions, settings=cfg)._asdict()}
           for (unit, group), (good, excellent) in counts.items() if unit in units]
    return sorted(out, key=lambda r: (r["unit"], r["peer_group"], r["unit_id"]))


GOOD = {"score": 80, "tasks_done_pct": 100, "tasks_late_pct": 0, "tasks_beyond_pct": 10,
        "shortcomings_fixed": True, "discipline": "none", "degradation": False}
INPUTS = {"good": GOOD, "excellent": {**GOOD, "score": 95, "tasks_beyond_pct": 40},
          "weak": {**GOOD, "score": 40, "tasks_done_pct": 50, "tasks_late_pct": 30, "tasks_beyond_pct": 0,
                   "shortcomings_fixed": False}}
WRITERS = ["self_good", "self_excellent", "self_weak", "propose", "cell", "host", "decide"]


@pytest.fixture
def crowd(world):
    """The test world with 12 more members (some leaders: a second peer group), two on temporary
    transfer, one suspended, and a cell's secretary."""
    world.more = [world.add(org, f"Trần Văn Thêm {i}", position="Trưởng phòng" if i % 3 == 0 else "")
                  for i, org in enumerate([world.a1, world.a2, world.b] * 4)]
    for m in (world.lan, world.more[0]):  # APR-6: graded at home after the host's comments
        member_event_record(actor=None, member=m, kind="temp_transfer_out", on=date(2025, 9, 1), to_org=world.b,
                            end_date=date(2026, 3, 1), today=date(2025, 11, 1))
    member_event_record(actor=None, member=world.more[1], kind="suspension", on=date(2025, 10, 3),
                        today=date(2025, 11, 1))  # APR-1: decided not reviewed at the opening
    world.cell_secretary = account_create(actor=None, username="cellsec", password="x", role="secretary",
                                          organization=world.a1, check_password=False)
    return world


def _write(crowd, campaigns, op, i, grade):
    campaign = campaigns[i % len(campaigns)]
    reviews = list(Review.objects.filter(campaign=campaign).order_by("pk"))
    # the reviews the writer can act on (any review when none: a refusal), so sequences get far
    ready = {"propose": ("self_assessed", "proposed"), "cell": ("self_assessed",), "decide": ("proposed",),
             "host": ("draft", "self_assessed", "proposed")}.get(op, ("draft", "self_assessed"))
    candidates = [r for r in reviews if r.status in ready and (r.temporary or op != "host")] or reviews
    review = candidates[i // 2 % len(candidates)]
    if op.startswith("self_"):
        services.review_self_assess(actor=None, review=review, data=INPUTS[op[5:]])
    elif op == "propose":
        services.review_propose(actor=None, review=review)
    elif op == "cell":
        services.cell_propose(actor=None, campaign=campaign, organization=review.organization)
    elif op == "host":
        services.review_host_comments(actor=None, review=review, text="Hoàn thành tốt nhiệm vụ ở nơi tạm trú.")
    elif op == "decide":
        pending = [r for r in reviews if r.unit_id == review.unit_id and r.status == PROPOSED]
        overrides = {pending[i % len(pending)].pk: (grade, "Theo kết luận của cấp ủy.")} if pending and grade else {}
        services.campaign_decide(actor=None, campaign=campaign, unit=review.unit, overrides=overrides)


OPS = st.lists(st.tuples(st.sampled_from(WRITERS), st.integers(0, 60),
                         st.sampled_from(["", rules.EXCELLENT, rules.GOOD, rules.COMPLETED])), max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, shown=st.lists(st.tuples(st.integers(0, 60), st.sampled_from(["", *rules.GRADES])), max_size=4),
       exceptions=st.sets(st.sampled_from(list(services.PEER_GROUP_LABELS.values()))))
def test_random_writes_keep_the_counts_and_the_boxes_exact(crowd, ops, shown, exceptions):
    """Random sequences of every writer of a review (self-assessment, proposal one by one and by cell,
    host comments, decision of a unit with overrides; refusals included) on two campaigns: the kept
    counts equal the grouped count of the reviews, and the boxes equal the old function's for every
    kind of user, unit and a preview."""
    with transaction.atomic():
        campaigns = [services.campaign_open(actor=None, organization=crowd.root, year=2025),
                     services.campaign_open(actor=None, organization=crowd.a, year=2026)]
        for op, i, grade in ops:
            try:
                _write(crowd, campaigns, op, i, grade)
            except InvalidInput:
                pass  # refused: nothing written (each service is atomic)
        assert kept.rebuild(dry_run=True) == 0
        for c in campaigns:
            assert kept.stored(c.pk) == kept.grouped(c.pk)
            pks = list(Review.objects.filter(campaign=c).order_by("pk").values_list("pk", flat=True))
            preview = {pks[i % len(pks)]: g for i, g in shown}
            for who in ("office", "secretary", "cell_secretary", "member_user", "outsider"):
                for unit in (None, crowd.a.pk, crowd.b.pk):
                    args = {"user": getattr(crowd, who), "campaign": c, "unit_id": unit, "preview": preview,
                            "exceptions": exceptions}
                    assert quota_boxes(**args) == quota_boxes_oracle(**args)
                    assert quota_boxes(**{**args, "preview": None}) == quota_boxes_oracle(**{**args, "preview": None})
        transaction.set_rollback(True)


def test_the_command_checks_and_rebuilds(crowd, capsys):
    """`dangbo quotacounts --check` fails on counts a bulk write left wrong; without --check it rebuilds."""
    c = services.campaign_open(actor=None, organization=crowd.root, year=2025)
    call_command("quotacounts", "--check")
    Review.objects.filter(campaign=c, member=crowd.hung).update(proposed_grade="excellent", status=PROPOSED)
    with pytest.raises(CommandError, match="1 số đếm xếp loại sai"):
        call_command("quotacounts", "--check")
    assert not QuotaCount.objects.filter(campaign=c, n__gt=0).exists()  # --check writes nothing
    call_command("quotacounts")
    assert "Đã tính lại: 1 số đếm được sửa" in capsys.readouterr().out
    call_command("quotacounts", "--check", "--campaign", str(c.pk))
    assert list(QuotaCount.objects.filter(campaign=c, n__gt=0).values_list("unit__name", "grade", "n")) == [
        ("Đảng bộ cơ sở A", "excellent", 1)]
