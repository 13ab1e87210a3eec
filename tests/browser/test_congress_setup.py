"""Setting up a congress in a real browser: create it → add official and alternate delegates from the
member search → an alternate takes an absent delegate's seat → allocation of seats (CON-2) →
credentials and their report, on the page and as Word (CON-3) → print the cards → check in by typing
the card's QR payload the way a USB scanner does (CON-1)."""

import re
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from playwright.sync_api import expect

from dangbo.congress import selectors
from dangbo.congress.models import Congress
from tests.browser.shell import menu
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def add_delegate(page, query, full_name, kind, obtained):
    box = page.get_by_role("searchbox", name="Tìm đảng viên")
    box.fill("")
    box.press_sequentially(query, delay=20)
    row = page.locator("#member-rows tr").filter(has_text=full_name)
    expect(row).to_have_count(1)
    row.get_by_label(f"Loại đại biểu — {full_name}").select_option(kind)
    row.get_by_label(f"Hình thức có tư cách — {full_name}").select_option(obtained)
    row.get_by_role("button", name=f"Thêm {full_name}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã thêm {full_name}")


def test_congress_setup_to_check_in_by_card(transactional_db, world, page):
    world.add(world.a1, "Vũ Văn Tâm")
    world.add(world.b, "Đỗ Văn Nam", sex="M", ethnicity="Tày")
    log_in(page)
    expect(page.get_by_role("button", name="Đăng xuất (office)")).to_be_visible()
    menu(page, "Đại hội").click()
    page.get_by_role("link", name="Lập đại hội").click()
    form = page.locator("form.form")
    form.locator("select[name=organization]").select_option(str(world.root.id))
    form.locator("select[name=kind]").select_option("delegates")
    form.locator("input[name=name]").fill("Đại hội đại biểu Đảng bộ Thử nghiệm lần thứ I")
    form.locator("input[name=start_date]").fill("2025-07-28")
    form.locator("input[name=end_date]").fill("2025-07-29")
    form.get_by_role("button", name="Lập đại hội").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đại hội đại biểu Đảng bộ Thử nghiệm lần thứ I")
    congress = Congress.objects.get()

    nav = page.get_by_role("navigation", name="Đại hội")
    nav.get_by_role("link", name="Đại biểu", exact=True).click()
    add_delegate(page, "nguyen van hung", "Nguyễn Văn Hùng", "official", "appointed")
    add_delegate(page, "lan", "Trần Thị Lan", "official", "ex_officio")
    add_delegate(page, "nam", "Đỗ Văn Nam", "official", "appointed")
    add_delegate(page, "tam", "Vũ Văn Tâm", "alternate", "appointed")
    expect(page.locator("#delegates tbody tr")).to_have_count(4)

    replace = page.locator("#replace-form")
    by_name = {d.member.full_name: d for d in selectors.delegates_of(congress)}
    replace.locator("select[name=absent]").select_option(str(by_name["Nguyễn Văn Hùng"].id))
    replace.locator("select[name=alternate]").select_option(str(by_name["Vũ Văn Tâm"].id))
    replace.get_by_role("button", name="Thay thế").click()
    expect(page.get_by_role("status")).to_have_text("Vũ Văn Tâm thay thế Nguyễn Văn Hùng.")
    expect(page.locator("#delegates")).to_contain_text("thay bởi Vũ Văn Tâm")

    page.get_by_role("navigation", name="Đại hội").get_by_role("link", name="Phân bổ").click()
    page.locator("input[name=seats]").fill("3")
    page.locator("input[name=ex_officio]").fill("1")
    page.get_by_role("button", name="Tính phân bổ").click()
    table = page.locator("#allocation")
    expect(table.locator("tfoot")).to_contain_text("2")
    page.get_by_role("button", name="Lưu phân bổ").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu phân bổ 3 đại biểu.")
    assert sum(congress.allocation.values_list("seats", flat=True)) == 2

    page.get_by_role("navigation", name="Đại hội").get_by_role("link", name="Thẩm tra tư cách").click()
    row = page.locator("#cred-3")
    row.get_by_label("Kết luận — Đỗ Văn Nam").select_option("refuse")
    row.get_by_role("button", name="Ghi").click()
    expect(page.get_by_role("alert")).to_contain_text("phải nêu một căn cứ")  # no ground: refused
    row = page.locator("#cred-3")
    row.get_by_label("Kết luận — Đỗ Văn Nam").select_option("refuse")
    row.get_by_label("Căn cứ — Đỗ Văn Nam").select_option("suspended_party")
    row.get_by_role("button", name="Ghi").click()
    expect(page.locator("#cred-3")).to_contain_text("Không công nhận: Đang bị đình chỉ sinh hoạt đảng")
    page.get_by_role("button", name=re.compile("Công nhận tất cả 3")).click()
    expect(page.locator("#credential-stats")).to_contain_text("Công nhận: 3")
    expect(page.locator("table.breakdown").filter(has_text="Giới tính")).to_contain_text("Nữ")
    with page.expect_download() as dl:  # before the number is issued: the draft
        page.get_by_role("link", name="Tải báo cáo (Word) — dự thảo").click()
    text = "\n".join(p.text for p in Document(BytesIO(open(dl.value.path(), "rb").read())).paragraphs)
    assert "chưa cấp số" in text and "Đỗ Văn Nam" in text
    page.get_by_role("button", name="Cấp số văn bản").click()  # numbering: an explicit act (CON-10)
    expect(page.locator("#report-number")).to_contain_text("01-BC/ĐH")
    with page.expect_download() as dl:
        page.get_by_role("link", name="Tải báo cáo (Word)").click()
    text = "\n".join(p.text for p in Document(BytesIO(open(dl.value.path(), "rb").read())).paragraphs)
    assert "Số 01-BC/ĐH" in text and "Đỗ Văn Nam" in text and "đình chỉ sinh hoạt đảng" in text

    page.get_by_role("navigation", name="Đại hội").get_by_role("link", name="Thẻ đại biểu").click()
    cards = page.locator("article.delegate-card")
    expect(cards).to_have_count(4)
    lan_card = cards.filter(has_text="Trần Thị Lan")
    expect(lan_card.locator("svg")).to_be_visible()
    code = lan_card.get_attribute("data-code")
    assert code == f"DH{congress.id}-002"
    page.emulate_media(media="print")
    box = cards.first.bounding_box()
    assert abs(box["width"] - 105 * 96 / 25.4) < 2 and abs(box["height"] - 148 * 96 / 25.4) < 2  # A6
    expect(page.locator("header.top")).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto(f"/dai-hoi/{congress.id}/diem-danh/")
    for scanned, who in ((code, "Trần Thị Lan"), (f"DH{congress.id}-004", "Vũ Văn Tâm")):
        page.locator("#id_number").click()
        page.keyboard.type(scanned)  # a scanner types the payload, then Enter
        page.keyboard.press("Enter")
        expect(page.locator("#checkin-result")).to_contain_text(f"Đã điểm danh {who}")
    q = selectors.quorum(congress)
    assert (q.summoned, q.present, q.orgs_present) == (3, 2, 1)  # Tâm sits for Hùng; Nam not present
    expect(page.locator("#quorum-box")).to_contain_text("2/3")
    assert page.problems == []


@pytest.mark.parametrize("mobile", [True, False])  # a narrow desktop window too: it shows nav overflow
def test_setup_pages_fit_a_phone(transactional_db, world, page_factory, mobile):
    from dangbo.congress import services
    from tests.browser.test_journey import _overflow

    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                 name="Đại hội đại biểu Đảng bộ Thử nghiệm lần thứ I", start_date=date(2025, 7, 28))
    for m in (world.hung, world.lan):
        services.delegate_add(actor=None, congress=c, member=m, obtained="appointed")
    services.delegate_add(actor=None, congress=c, member=world.add(world.a1, "Vũ Văn Tâm"), kind="alternate")
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=mobile, has_touch=mobile)
    log_in(page)
    expect(page.get_by_role("button", name="Đăng xuất (office)")).to_be_visible()  # the home page has loaded
    for path in ("", "chuong-trinh/", "cac-ban/", "dai-bieu/?q=hung", "phan-bo/", "tham-tra/", "the-dai-bieu/"):
        page.goto(f"/dai-hoi/{c.id}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        o = _overflow(page)
        # a mobile browser widens the layout to the content: the width must stay the phone's own
        assert o["scrollWidth"] <= o["innerWidth"] == 390, f"{path} overflows horizontally: {o}"
    assert page.problems == []
