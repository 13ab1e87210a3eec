"""The APR-4 quota check reads the reviews alone: never the member table (a province's check at the
nation's scale would otherwise scan millions of member rows for an order it does not use)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangbo.appraisal.models import Review
from dangbo.appraisal.selectors import quota_boxes
from dangbo.appraisal.services import campaign_open


def test_quota_check_reads_no_member_row(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    Review.objects.filter(campaign=c, member=world.lan).update(proposed_grade="excellent", status="proposed")
    Review.objects.filter(campaign=c, member=world.hung).update(proposed_grade="good", status="proposed")
    with CaptureQueriesContext(connection) as ctx:
        rows = quota_boxes(user=world.office, campaign=c)
    assert [(r["unit"], r["good"], r["excellent"]) for r in rows] == [("Đảng bộ cơ sở A", 1, 1)]
    assert not [q["sql"] for q in ctx.captured_queries if "members_member" in q["sql"]]
