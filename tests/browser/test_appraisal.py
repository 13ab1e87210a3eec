"""The appraisal in a real browser: the member's self-assessment → the cell's proposal → the quota
warning on the decision page (live, htmx) → the decision with a written reason → the summary report
downloaded as .docx and read back.

Debian's Chromium through Playwright against pytest-django's live server (see conftest.py).
"""

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from dangbo.appraisal.models import DECIDED, Review
from dangbo.appraisal.services import campaign_open
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=f"Đăng xuất ({username})")).to_be_visible()


def test_self_assessment_proposal_quota_decision_report(transactional_db, world, page_factory, tmp_path):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    lan = Review.objects.get(campaign=c, member=world.lan)

    # 1. the member fills in her self-assessment
    member = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(member, "member")
    member.get_by_role("link", name="Đánh giá của tôi", exact=True).click()
    member.get_by_role("link", name="2025").click()
    expect(member).to_have_url(re.compile(rf"/danh-gia/phieu/{lan.id}/$"))
    form = member.locator("form.form")
    for name, value in (("score", "95"), ("tasks_done_pct", "100"), ("tasks_late_pct", "0"),
                        ("tasks_beyond_pct", "40")):
        form.locator(f"input[name={name}]").fill(value)
    form.locator("input[name=shortcomings_fixed]").check()
    form.get_by_role("button", name="Lưu phiếu tự đánh giá").click()
    expect(member.get_by_role("status")).to_have_text("Đã lưu phiếu tự đánh giá.")
    expect(member.locator("dl.profile").first).to_contain_text("Đã tự đánh giá")
    assert member.problems == []

    # 2. the secretary of grassroots committee A proposes her cell's grades
    sec = page_factory(viewport={"width": 1280, "height": 900})
    log_in(sec, "secretary")
    sec.goto(f"/danh-gia/{c.id}/")
    row = sec.locator("#progress tr").filter(has_text="Chi bộ A2")
    row.get_by_role("button", name="Chi bộ đề xuất").click()
    expect(sec.get_by_role("status")).to_have_text("Đã đề xuất xếp loại 1 phiếu của «Chi bộ A2».")
    assert sec.problems == []

    # 3. the deciding level sees the quota warning: one excellent for no good (APR-4)
    office = page_factory(viewport={"width": 1280, "height": 900})
    log_in(office, "office")
    office.goto(f"/danh-gia/{c.id}/")
    office.locator("#progress tr").filter(has_text="Chi bộ A2").get_by_role(
        "link", name="Quyết định").click()
    expect(office).to_have_url(re.compile(rf"/danh-gia/{c.id}/quyet-dinh/{world.a.id}/$"))
    quota = office.locator("#quota")
    expect(quota.get_by_role("alert")).to_have_text("Vượt tỷ lệ (APR-4)")
    # saving as proposed is refused
    office.get_by_role("button", name="Lưu quyết định").click()
    expect(office.locator("p.error")).to_contain_text("Vượt tỷ lệ xuất sắc (APR-4)")
    # 4. the deciding level grades her "good" (the live box clears) with a written reason
    office.get_by_label("Xếp loại Trần Thị Lan").select_option("good")
    expect(quota.get_by_role("alert")).to_have_count(0)
    office.get_by_label("Lý do — Trần Thị Lan").fill("Xét theo tỷ lệ xuất sắc của nhóm (APR-4).")
    office.get_by_role("button", name="Lưu quyết định").click()
    expect(office.get_by_role("status")).to_have_text("Đã quyết định xếp loại 1 đảng viên của «Đảng bộ cơ sở A».")
    lan.refresh_from_db()
    assert lan.status == DECIDED and lan.decided_grade == "good" and "APR-3" in lan.reasons

    # 5. the summary page and its report, downloaded and read back
    office.get_by_role("link", name="Tổng hợp, biểu đồ").click()
    expect(office.locator("svg[role=img]")).to_be_visible()
    with office.expect_download() as dl:
        office.get_by_role("link", name="Tải báo cáo tổng hợp (.docx)").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name == "bao-cao-tong-hop-xep-loai-2025.docx"
    doc = Document(str(path))
    cells = [cell.text for t in doc.tables for r in t.rows for cell in r.cells]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Tổng hợp kết quả đánh giá, xếp loại" in text and "Đảng bộ cơ sở A" in cells
    assert "1 (100,0%)" in cells  # Lan: good, the only decided grade of A
    with office.expect_download() as dl:
        office.get_by_role("link", name="Tải quyết định công nhận (.docx)").click()
    dl.value.save_as(tmp_path / "qd.docx")
    names = [cell.text for t in Document(str(tmp_path / "qd.docx")).tables for r in t.rows for cell in r.cells]
    assert "Trần Thị Lan" in names
    # a download aborts the navigation its link started: not a problem of the page
    assert [p for p in office.problems if not re.match(r"failed: .*\.docx net::ERR_ABORTED", p)] == []


def test_appraisal_pages_fit_a_phone(transactional_db, world, page_factory):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    page = page_factory(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                        has_touch=True)
    log_in(page, "office")
    for path in (f"/danh-gia/{c.id}/", f"/danh-gia/{c.id}/tong-hop/", f"/danh-gia/{c.id}/xep-loai-to-chuc/{world.root.id}/",
                 f"/danh-gia/dang-vien/{world.lan.id}/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} overflows horizontally: {width}"
    assert page.problems == []
