"""The web upload in a real browser: Nhập danh sách → Tải lên danh sách → choose two rolls → the batch page
shows the progress bar (htmx polling) while the job waits and then runs in the worker (`dangbo worker`'s
loop, in a thread of this test: the test database is in memory) → the page turns into the batch's
review queue by itself."""

import re
import threading

import pytest
from playwright.sync_api import expect

from dangbo.members.models import Member
from dangbo.registry.models import ImportBatch
from tests.browser.shell import menu
from tests.browser.test_journey import _overflow, log_in
from tests.registry.test_import import ROWS_B, roll_files

pytestmark = pytest.mark.browser


@pytest.fixture
def gate(settings, tmp_path):
    """The worker's loop (jobs.worker.Worker.run), started in a thread when the test opens the gate (so
    the page is seen while the job waits), stopped at the end."""
    from dangbo.jobs.worker import Worker

    settings.VAR_DIR = tmp_path / "var"
    worker = Worker(poll=0.2)
    thread = threading.Thread(target=worker.run, kwargs={"signals": False}, daemon=True)

    class Gate:
        def set(self):
            thread.start()

    yield Gate()
    worker.stop()
    if thread.is_alive():
        thread.join(30)


def _choose(page, files, org="— Chi bộ cơ sở B"):
    menu(page, "Nhập danh sách").click()
    page.get_by_role("link", name="Tải lên danh sách").click()
    expect(page).to_have_url(re.compile(r"/nhap-danh-sach/tai-len/$"))
    page.get_by_label("Tổ chức đảng nhận danh sách").select_option(label="Đảng bộ Thử nghiệm")
    expect(page.get_by_text("Chọn các tệp…")).to_be_visible()  # not the browser's «Choose Files»
    page.get_by_label("Tệp danh sách").set_input_files([str(f) for f in files])
    expect(page.locator(".filebox-names")).to_have_text(", ".join(f.name for f in files))
    page.get_by_role("button", name="Tải lên và nhập").click()


def test_upload_progress_then_review(transactional_db, world, page, tmp_path, gate):
    members = Member.objects.count()
    log_in(page)
    _choose(page, roll_files(tmp_path))
    batch = ImportBatch.objects.get()
    expect(page).to_have_url(re.compile(rf"/nhap-danh-sach/{batch.pk}/$"))
    bar = page.get_by_role("progressbar", name="Tiến độ nhập")
    expect(bar).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đang nhập")
    expect(page.get_by_role("status")).to_contain_text("Đang chờ bộ xử lý nền")  # queued: no worker yet
    gate.set()
    # the polled fragment reports the end and the page reloads into the review queue
    card = page.get_by_role("region", name="Cặp dv-tinh-a.xlsx:4 và dv-tinh-b.csv:3")
    expect(card).to_be_visible(timeout=20_000)
    expect(card.get_by_role("button", name="Hợp nhất")).to_be_visible()
    batch.refresh_from_db()
    assert batch.status == "done" and batch.progress["percent"] == 100
    assert Member.objects.count() == members + 4
    assert page.problems == []


def test_a_slow_reload_at_the_end_is_not_cut_short_by_another_poll(transactional_db, world, page, tmp_path, gate):
    """The end of the import reloads the page once: a reload that takes longer than the poll's second
    (a busy server) is not aborted by a second HX-Refresh (CI saw net::ERR_ABORTED on the batch page)."""
    log_in(page)
    _choose(page, roll_files(tmp_path))
    batch = ImportBatch.objects.get()
    expect(page).to_have_url(re.compile(rf"/nhap-danh-sach/{batch.pk}/$"))
    polls, reloads = [], []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/tien-do/") else None)

    def slow_page(route):
        reloads.append(route.request.url)
        threading.Event().wait(3)  # the server takes three seconds to answer the reload
        route.continue_()

    page.route(re.compile(rf"/nhap-danh-sach/{batch.pk}/$"), slow_page)
    gate.set()
    card = page.get_by_role("region", name="Cặp dv-tinh-a.xlsx:4 và dv-tinh-b.csv:3")
    expect(card).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)
    assert len(reloads) == 1, f"the page was reloaded {len(reloads)} times"
    assert polls, "the page polled its progress"
    assert page.problems == []


def test_failed_upload_explains_in_vietnamese(transactional_db, world, page, tmp_path, gate):
    gate.set()
    members = Member.objects.count()
    bad = ROWS_B + [["Lý Văn Tám", "1980", "Nam", "", "", "", "", "", "Chi bộ A1"]]
    log_in(page)
    _choose(page, roll_files(tmp_path, bad))
    alert = page.get_by_role("alert").filter(has_text="Không nhập được — chưa lưu gì.")
    expect(alert).to_be_visible(timeout=20_000)
    expect(alert).to_contain_text("dv-tinh-b.csv:4")
    expect(alert).to_contain_text("thiếu ngày vào Đảng")
    assert Member.objects.count() == members
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/nhap-danh-sach/tai-len/", page.url):
        page.goto(path)
        o = _overflow(page)
        assert o["scrollWidth"] <= o["innerWidth"], f"{path} overflows horizontally: {o}"
    assert page.problems == []


BAD_BIRTH = ["Trần Thị Mai", "31/02/1985", "Nữ", "", "", "Xã Bảo Đức, Phú Thọ", "03/02/2010", "", "Chi bộ A1"]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_batch_page_says_what_was_read_and_kept(transactional_db, world, page_factory, tmp_path, width):
    """Issue 10 #9: a date that does not exist is not dropped silently — the batch page names the file,
    row and column, the value and what was kept, per file, at desktop and phone width."""
    from tests.registry.test_import import run_import

    batch_id = run_import(roll_files(tmp_path, ROWS_B + [BAD_BIRTH]))["batch"]
    phone = width == 390
    page = page_factory(viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone,
                        has_touch=phone, device_scale_factor=3 if phone else 1)
    log_in(page)
    page.goto(f"/nhap-danh-sach/{batch_id}/")
    files = page.get_by_role("table").filter(has_text="Dòng đã đọc")
    expect(files).to_be_visible()
    expect(files.get_by_role("row", name=re.compile("dv-tinh-b.csv"))).to_contain_text("3")
    row = page.get_by_role("row").filter(has_text="dv-tinh-b.csv:4")
    expect(row).to_contain_text("31/02/1985")
    expect(row).to_contain_text("để trống")
    expect(row).to_contain_text("Ngày sinh")
    expect(row.get_by_role("link", name="Trần Thị Mai")).to_be_visible()
    for name in ("Tải về Excel", "Tải về CSV"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về Excel").click()
    assert download.value.suggested_filename == f"bao-cao-nhap-{batch_id}.xlsx"
    o = _overflow(page)
    assert o["scrollWidth"] <= o["innerWidth"], f"the batch page overflows at {width} px: {o}"
    page.screenshot(path=str(tmp_path / f"batch-{width}.png"), full_page=True)
    assert [p for p in page.problems if "bao-cao.xlsx net::ERR_ABORTED" not in p] == []  # a download


def test_a_failed_reupload_is_shown_as_failed_with_what_to_do(transactional_db, world, page_factory, tmp_path, gate):
    from tests.registry.test_import import run_import

    first = run_import(roll_files(tmp_path))["batch"]
    gate.set()
    page = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=3)
    log_in(page)
    again = tmp_path / "lai"
    again.mkdir()
    _choose(page, roll_files(again))
    alert = page.get_by_role("alert").filter(has_text="Không nhập được — chưa lưu gì.")
    expect(alert).to_be_visible(timeout=20_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lỗi, chưa nhập gì")
    expect(alert).to_contain_text("Cần làm gì:")
    expect(alert).to_contain_text(f"lần nhập #{first}")
    expect(alert.get_by_role("link", name="Tải lên lại")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="dv-tinh-a.xlsx:2, dv-tinh-b.csv:2")).to_have_count(1)
    o = _overflow(page)
    assert o["scrollWidth"] <= o["innerWidth"], f"the failed batch overflows: {o}"
    page.screenshot(path=str(tmp_path / "failed-390.png"), full_page=True)
    assert page.problems == []
