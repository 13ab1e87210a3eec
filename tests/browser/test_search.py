"""The clerk's member pages in a real browser (issue 10, items 3–5 and 13–16), at 1366 and 390 px:
live search by part of a name, paged and counted, namesakes told apart on a phone; dates typed
dd/mm/yyyy; the event form's fields following its type with and without JavaScript; a long note
that does not widen the profile."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dangbo.members.models import Member, MemberEvent
from dangbo.members.services import member_event_record
from tests.browser.test_journey import _overflow, log_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def no_sideways_scroll(page, what):
    o = _overflow(page)
    assert o["scrollWidth"] <= o["innerWidth"], f"{what} overflows: {o}"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_live_search_by_middle_and_given_name_is_paged_and_tells_namesakes_apart(transactional_db, world,
                                                                                 page_factory, size):
    for i in range(60):  # 61 "... Văn Hùng" in scope with Nguyễn Văn Hùng; two of them his namesakes
        name = "Nguyễn Văn Hùng" if i < 2 else f"{['Lê', 'Trần', 'Vũ'][i % 3]} Văn Hùng"
        world.add(world.a1 if i % 2 else world.a2, name, card_number=f"{i:02d}.000.{1000 + i}",
                  birth_date=date(1960 + i % 20, 6, 1))
    page = page_factory(**(PHONE if size == "phone" else DESKTOP))
    log_in(page)
    page.goto("/dang-vien/")
    expect(page.locator("p.count")).to_have_text("63 đảng viên, trang 1/2")
    page.get_by_role("searchbox", name="Tìm đảng viên").press_sequentially("van hung", delay=20)
    expect(page.locator("p.count")).to_have_text("61 kết quả cho «van hung», trang 1/2")
    expect(page).to_have_url(re.compile(r"[?&]q=van(\+|%20)hung"))
    expect(page.locator("nav.pages")).to_have_count(1)  # the list's own pager went with the list
    expect(page.locator("nav.pages")).to_contain_text("Trang 1/2")
    rows = page.locator("#rows tr")
    expect(rows).to_have_count(50)
    namesakes = rows.filter(has=page.get_by_role("link", name="Nguyễn Văn Hùng", exact=True))
    expect(namesakes).to_have_count(3)
    for year, card in (("1960", "…1000"), ("1961", "…1001"), ("1975", "—")):
        one = namesakes.filter(has_text=year)
        expect(one).to_have_count(1)
        expect(one).to_contain_text(card)
        expect(one.locator("td.year")).to_be_visible()  # every value shows on a phone too
        expect(one.locator("td.card")).to_be_visible()
        expect(one.locator("td.org")).to_be_visible()
        expect(one.locator("td.state")).to_have_text("Chính thức")
    no_sideways_scroll(page, f"search results at {size}")
    page.screenshot(path=f"/tmp/search-{size}-results.png", full_page=True)
    page.locator("nav.pages").get_by_role("link", name="Sau ›").click()
    expect(page.locator("p.count")).to_have_text("61 kết quả cho «van hung», trang 2/2")
    expect(page.locator("#rows tr")).to_have_count(11)
    box = page.get_by_role("searchbox", name="Tìm đảng viên")
    box.fill("")
    box.press_sequentially("tran thi lan", delay=20)
    expect(page.locator("p.count")).to_have_text("1 kết quả cho «tran thi lan»")
    expect(page.locator("nav.pages")).to_have_count(0)
    expect(page.locator("#rows").get_by_role("link")).to_have_count(1)
    assert page.problems == []


def test_a_date_typed_day_first_is_stored_and_shown_back(transactional_db, world, page_factory):
    page = page_factory(**PHONE)
    log_in(page)
    page.goto("/dang-vien/them/")
    form = page.locator("form.form")
    form.locator("select[name=organization]").select_option(str(world.b.id))
    form.locator("input[name=full_name]").fill("Đỗ Thị Mai")
    form.locator("select[name=sex]").select_option("F")
    box = form.locator("input[name=admission_date]")
    expect(box).to_have_attribute("placeholder", "ngày/tháng/năm")
    expect(box).to_have_attribute("inputmode", "numeric")
    box.fill("05/03/2026")
    form.locator("input[name=birth_date]").fill("17081990")  # a phone's numeric keypad has no "/"
    no_sideways_scroll(page, "the member form")
    form.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã thêm đảng viên Đỗ Thị Mai.")
    member = Member.objects.get(full_name="Đỗ Thị Mai")
    assert (member.admission_date, member.birth_date) == (date(2026, 3, 5), date(1990, 8, 17))
    expect(page.locator("dl.profile")).to_contain_text("05/03/2026")
    page.get_by_role("link", name="Sửa hồ sơ").click()
    expect(page.locator("input[name=admission_date]")).to_have_value("05/03/2026")
    expect(page.locator("input[name=birth_date]")).to_have_value("17/08/1990")
    assert page.evaluate("document.querySelectorAll('input[type=date]').length") == 0
    assert page.problems == []


@pytest.mark.parametrize("javascript", [True, False])
def test_the_event_form_shows_each_types_fields(transactional_db, world, page_factory, javascript):
    page = page_factory(java_script_enabled=javascript, **PHONE)
    log_in(page)
    page.goto(f"/dang-vien/{world.hung.id}/")
    form = page.locator("#ghi-su-kien form")

    def choose(kind):
        form.locator("select[name=kind]").select_option(kind)
        if not javascript:
            with page.expect_navigation():
                form.get_by_role("button", name="Chọn").click()

    expect(form.get_by_role("button", name="Chọn")).to_have_count(0 if javascript else 1)
    form.locator("input[name=date]").fill("05/01/2026")
    choose("discipline")
    expect(form.locator("select[name=level]")).to_be_visible()
    expect(form.locator("input[name=end_date]")).to_have_count(0)
    expect(form.locator("input[name=date]")).to_have_value("05/01/2026")  # what was typed stays
    choose("death")
    expect(form.locator("input[name=date]")).to_be_visible()
    expect(form.locator("textarea[name=note]")).to_be_visible()
    for gone in ("select[name=level]", "input[name=decision_date]", "select[name=to_org]", "input[name=end_date]"):
        expect(form.locator(gone)).to_have_count(0)
    choose("temp_transfer_out")
    for shown in ("select[name=to_org]", "input[name=place]", "input[name=end_date]", "input[name=study]",
                  "input[name=decision_date]"):
        expect(form.locator(shown)).to_be_visible()
    no_sideways_scroll(page, "the event form")
    page.screenshot(path=f"/tmp/event-form-js-{javascript}.png", full_page=True)
    form.locator("input[name=place]").fill("Học viện Chính trị quốc gia Hồ Chí Minh")
    form.locator("input[name=end_date]").fill("05/07/2027")  # 18 months: only when sent to study
    form.locator("input[name=decision_date]").fill("10/01/2026")  # after the event: refused too
    form.get_by_role("button", name="Ghi sự kiện").click()
    errors = page.locator("#ghi-su-kien [role=alert]")
    expect(errors.filter(has_text="phải dưới 12 tháng")).to_have_count(1)
    expect(errors.filter(has_text="không thể sau ngày của sự kiện")).to_have_count(1)  # both at once
    assert not MemberEvent.objects.filter(member=world.hung, kind="temp_transfer_out").exists()
    form.locator("input[name=study]").check()
    form.locator("input[name=decision_date]").fill("04/01/2026")
    form.get_by_role("button", name="Ghi sự kiện").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi sự kiện «Chuyển sinh hoạt tạm thời».")
    event = MemberEvent.objects.get(member=world.hung, kind="temp_transfer_out")
    assert (event.date, event.end_date, event.details) == (date(2026, 1, 5), date(2027, 7, 5), {"study": True})
    assert page.problems == []


def test_a_long_unbroken_note_does_not_widen_the_profile(transactional_db, world, page_factory):
    member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=date(2026, 1, 5),
                        place="Tổng công ty " + "X" * 240, end_date=date(2026, 7, 5),
                        note="https://example.invalid/" + "a" * 1900)
    for size in (PHONE, DESKTOP):
        page = page_factory(**size)
        log_in(page)
        page.goto(f"/dang-vien/{world.hung.id}/")
        expect(page.locator("#timeline")).to_contain_text("aaaa")
        no_sideways_scroll(page, f"the profile at {size['viewport']['width']}px")
        page.goto(f"/to-chuc/{world.b.id}/")
        no_sideways_scroll(page, f"the organisation page at {size['viewport']['width']}px")
        assert page.problems == []
