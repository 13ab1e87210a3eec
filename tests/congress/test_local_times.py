"""Times and dates said to users are Asia/Ho_Chi_Minh, not the stored UTC (issue 10, item 12)."""

from datetime import UTC, date, datetime

from django.test import Client
from django.utils import timezone

from dangbo.congress import services


def test_credentials_report_number_says_the_local_day(world, monkeypatch):
    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                 name="Đại hội đại biểu lần thứ I", start_date=date(2025, 7, 28),
                                 end_date=date(2025, 7, 29))
    client = Client()
    client.force_login(world.office)
    # 17:30 UTC on 28/7 is 00:30 on 29/7 in Hà Nội
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 7, 28, 17, 30, tzinfo=UTC))
    r = client.post(f"/dai-hoi/{c.id}/tham-tra/", {"action": "issue_number"}, follow=True)
    body = r.content.decode()
    assert "mang số 01-BC/ĐH (ngày 29/07/2025)" in body and "28/07/2025)" not in body
