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
    page.get_by_role("link", name="Nhập danh sách").click()
    page.get_by_role("link", name="Tải lên danh sách").click()
    expect(page).to_have_url(re.compile(r"/nhap-danh-sach/tai-len/$"))
    page.get_by_label("Tổ chức đảng nhận danh sách").select_option(label="Đảng bộ Thử nghiệm")
    page.get_by_label("Tệp danh sách").set_input_files([str(f) for f in files])
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
