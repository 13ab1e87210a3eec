"""Open vote from a delegate's phone in a real browser (CON-4): the control page is open on the
secretariat's screen; the delegate logs in on a phone, votes once, a second attempt from another tab
is refused, and the control page's live counts (htmx polling) show the vote."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dangbo.accounts.services import account_create
from dangbo.congress import services as congress_services
from dangbo.votes import services
from dangbo.votes.models import VoteCast
from tests.browser.test_journey import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_delegate_votes_once_from_phone(transactional_db, world, page_factory):
    c = congress_services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                          name="Đại hội đại biểu lần thứ I", start_date=date(2025, 7, 28))
    for m in (world.hung, world.lan):
        d = congress_services.delegate_add(actor=None, congress=c, member=m, obtained="appointed")
        congress_services.delegate_check_in(actor=None, congress=c, delegate=d)
    account_create(actor=None, username="hung", password=PASSWORD, role="member", member=world.hung)
    v = services.vote_create(actor=world.office, congress=c, subject="Thông qua Nghị quyết Đại hội",
                             kind="resolution", mode="phones")
    services.vote_open(actor=world.office, vote=v)

    staff = page_factory(viewport={"width": 1280, "height": 900})
    log_in(staff)
    staff.goto(f"/dai-hoi/{c.id}/")
    staff.get_by_role("link", name="Biểu quyết công khai").click()
    staff.get_by_role("link", name="Thông qua Nghị quyết Đại hội").click()
    expect(staff.locator("#count-for")).to_have_text("0")

    phone = page_factory(**PHONE)
    log_in(phone, "hung")
    phone.get_by_role("link", name="Biểu quyết", exact=True).click()
    expect(phone.get_by_role("heading", name="Thông qua Nghị quyết Đại hội")).to_be_visible()
    other_tab = phone.context.new_page()
    other_tab.goto("/bieu-quyet/")  # the same page left open in a second tab, buttons still showing
    box = phone.get_by_role("button", name="Tán thành", exact=True).bounding_box()
    assert box["width"] > 300 and box["height"] >= 48  # big buttons on a phone
    phone.get_by_role("button", name="Tán thành", exact=True).click()
    expect(phone.locator("#vote-ack")).to_contain_text("Đã ghi nhận: Tán thành")
    expect(phone.get_by_role("button", name="Không tán thành")).to_have_count(0)

    other_tab.get_by_role("button", name="Không tán thành").click()
    expect(other_tab.get_by_role("alert")).to_contain_text("mỗi đại biểu chỉ biểu quyết một lần")
    expect(other_tab.locator("#vote-ack")).to_contain_text("Tán thành")
    assert list(VoteCast.objects.values_list("choice", flat=True)) == ["for"]

    expect(staff.locator("#count-for")).to_have_text("1", timeout=8000)  # htmx polling every 2 s
    staff.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(staff.locator("#verdict")).to_have_text("KHÔNG THÔNG QUA")  # 1 of 2 present is not more than half
    phone.screenshot(path="/tmp/vote_phone.png", full_page=True)
    assert phone.problems == [] and staff.problems == []


def test_phone_page_shows_the_buttons_when_the_vote_opens(transactional_db, world, page_factory):
    """A delegate waiting on the phone page needs no reload: it asks again every few seconds while it
    has nothing to press, and stops once the buttons are there."""
    c = congress_services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                          name="Đại hội đại biểu lần thứ I", start_date=date(2025, 7, 28))
    d = congress_services.delegate_add(actor=None, congress=c, member=world.hung, obtained="appointed")
    congress_services.delegate_check_in(actor=None, congress=c, delegate=d)
    account_create(actor=None, username="hung", password=PASSWORD, role="member", member=world.hung)
    v = services.vote_create(actor=world.office, congress=c, subject="Thông qua Chương trình Đại hội",
                             kind="agenda", mode="phones")

    phone = page_factory(**PHONE)
    log_in(phone, "hung")
    phone.goto("/bieu-quyet/")
    expect(phone.get_by_text("Hiện không có biểu quyết nào")).to_be_visible()
    expect(phone.locator("#vote-wait")).to_have_count(1)
    services.vote_open(actor=world.office, vote=v)
    expect(phone.get_by_role("button", name="Tán thành", exact=True)).to_be_visible(timeout=10_000)
    expect(phone.locator("#vote-wait")).to_have_count(0)  # buttons showing: no more polling
    phone.get_by_role("button", name="Tán thành", exact=True).click()
    expect(phone.locator("#vote-ack")).to_contain_text("Đã ghi nhận: Tán thành")
    assert list(VoteCast.objects.values_list("choice", flat=True)) == ["for"]
    assert phone.problems == []
