"""Issue 13's quality bar: a transfer out of one installation and into another, in a real browser.

Committee A is the test's live server (the `world`); committee B is a second installation started
here as a subprocess — its own DANGBO_VAR with its own SQLite file and its own signing key, set up
the way an office would (`dangbo migrate`, its committee and cell, `dangbo createuser`) and served
by `dangbo serve`. A's office downloads the member's signed transfer file; B's office (on a phone)
uploads a copy with one byte changed — refused with the Vietnamese message, nothing written in B's
database — then the genuine file: the member is received with the provenance, and the fingerprint B
shows is the one A's office reads on its own page (B trusts no key beforehand: the offices compare
fingerprints by telephone or letter, README «Member procedures»).

Debian's Chromium through Playwright (see conftest.py).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_columns_visible, assert_readable
from tests.browser.shell import menu
from tests.browser.test_procedures import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# B's office sets its installation up: the database, its committee and a cell, its office account.
B_SETUP = f"""
from datetime import date
from django.core.management import call_command
from dangbo.orgs.services import org_found
call_command("migrate", verbosity=0)
root = org_found(actor=None, code="TN", name="Đảng bộ Phường Tiếp Nhận", kind="committee", parent=None,
                 on=date(2025, 1, 2))
org_found(actor=None, code="TN1", name="Chi bộ Khu phố 1", kind="grassroots_cell", parent=root, on=date(2025, 1, 2))
call_command("createuser", "vanphong", role="office", org="TN", password="{PASSWORD}")
"""

B_COUNTS = """
import json
from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member
from dangbo.procedures.models import TransferImport
print(json.dumps({"members": Member.objects.count(), "received": TransferImport.objects.count(),
                  "imports_audited": AuditEvent.objects.filter(action="procedure.transfer_import").count(),
                  "names": sorted(Member.objects.values_list("full_name", flat=True))}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Installation:
    """A second dangbo on this machine, set up and served by one subprocess started at once (its
    migration runs while A's test database is built); `wait()` before the first page."""

    def __init__(self, var):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DANGBO_") and k != "DATABASE_URL"}
        self.env.update({"DANGBO_VAR": str(var), "B_SETUP": B_SETUP})
        self.cwd, self.port = var.parent, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        dangbo = f"{sys.executable} -m dangbo.cli"
        self.proc = subprocess.Popen(
            ["sh", "-c", f'{dangbo} shell --no-imports -c "$B_SETUP" && '
                         f"exec {dangbo} serve --no-migrate --threads 2 --port {self.port}"],
            env=self.env, cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)

    def wait(self, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    pytest.fail(f"B did not start: {self.proc.stdout.read()}")
                if time.monotonic() > deadline:
                    pytest.fail("B's dangbo serve did not start")
                time.sleep(0.3)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group this fixture started (sh, then serve)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def counts(self) -> dict:
        """What B's database holds, read by a `dangbo shell` of B (not through B's pages)."""
        done = subprocess.run([sys.executable, "-m", "dangbo.cli", "shell", "--no-imports", "-c", B_COUNTS],
                              env=self.env, cwd=self.cwd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def installation_b(tmp_path):
    b = Installation(tmp_path / "var-b")
    try:
        yield b
    finally:
        b.stop()


def _upload(page, path, cell_label):
    form = page.locator("form", has=page.locator("input[name=file]"))
    form.locator("input[name=file]").set_input_files(str(path))
    form.locator("select[name=organization]").select_option(label=cell_label)
    form.get_by_role("button", name="Kiểm tra chữ ký và nhận").click()


def test_transfer_out_of_a_and_into_b(installation_b, transactional_db, world, page_factory, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var-a"  # A's own key, apart from B's
    b = installation_b
    b.wait()  # B migrated while A's database was built; its pages then share the 2 cores with A's
    a = page_factory(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    a.set_default_timeout(30_000)  # two servers on a busy machine: a first page may take over 10 s
    log_in(a, "office")
    menu(a, "Thủ tục").click()  # the procedures entry leads to the transfers
    a.get_by_role("link", name="Chuyển sinh hoạt giữa hai đảng bộ").click()
    expect(a.get_by_role("heading", name="Chuyển sinh hoạt đảng giữa hai đảng bộ")).to_be_visible()
    a_print = a.locator("#dau-van-khoa").inner_text()
    assert len(a_print) == 19
    out = a.locator("form", has=a.locator("select[name=member]"))
    out.locator("select[name=member]").select_option(label="Nguyễn Văn Hùng (1975)")
    out.locator("[name=letter_number]").fill("27-GGT/ĐU")
    out.locator("[name=destination]").fill("Đảng bộ Phường Tiếp Nhận")
    assert_readable(a)
    a.screenshot(path=str(tmp_path / "a-export-1366.png"), full_page=True)
    with a.expect_download() as dl:
        out.get_by_role("button", name="Tải tệp chuyển sinh hoạt").click()
    genuine = tmp_path / dl.value.suggested_filename
    dl.value.save_as(genuine)
    # The form's POST answered with a file: Chromium ends that navigation as «aborted», not a fault.
    a.problems[:] = [p for p in a.problems if p != f"failed: {a.url} net::ERR_ABORTED"]
    data = genuine.read_bytes()
    assert json.loads(data)["payload"]["member"]["full_name"] == "Nguyễn Văn Hùng"
    # One byte changed: the birth year 1975 → 1976 (the file still reads as a transfer file).
    at = data.index(b'"1975-05-05"') + 4
    tampered = tmp_path / "sua-mot-byte.json"
    tampered.write_bytes(data[:at] + b"6" + data[at + 1:])
    assert sum(x != y for x, y in zip(data, tampered.read_bytes(), strict=True)) == 1

    before = b.counts()
    assert before == {"members": 0, "received": 0, "imports_audited": 0, "names": []}
    phone = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(30_000)
    phone.goto(f"{b.url}/dang-nhap/")
    phone.locator("input[name=username]").fill("vanphong")
    phone.locator("input[name=password]").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_role("button", name="Đăng xuất (vanphong)")).to_be_visible()
    menu(phone, "Thủ tục").click()  # folded behind «Danh mục» on a phone
    phone.get_by_role("link", name="Chuyển sinh hoạt giữa hai đảng bộ").click()
    assert phone.locator("#dau-van-khoa").inner_text() != a_print  # B signs with its own key

    _upload(phone, tampered, "— Chi bộ Khu phố 1")
    expect(phone.get_by_role("alert")).to_contain_text(
        "Chữ ký của tệp không đúng: tệp đã bị sửa sau khi ký hoặc không do đảng bộ gửi ký.")
    expect(phone.get_by_text("Chưa nhận đảng viên nào bằng tệp.")).to_be_visible()
    assert_readable(phone)
    phone.screenshot(path=str(tmp_path / "b-refused-390.png"), full_page=True)
    assert b.counts() == before

    _upload(phone, genuine, "— Chi bộ Khu phố 1")
    expect(phone.get_by_role("status")).to_have_text(
        f"Đã nhận Nguyễn Văn Hùng từ Đảng bộ Thử nghiệm; dấu vân khóa ký của nơi gửi: {a_print}.")
    expect(phone.get_by_role("heading", name="Nguyễn Văn Hùng")).to_be_visible()
    assert_readable(phone)
    phone.goto(f"{b.url}/chuyen-sinh-hoat/")
    row = phone.locator("table.list tbody tr")
    expect(row).to_have_count(1)
    for text in ("Nguyễn Văn Hùng", "Đảng bộ Thử nghiệm", "27-GGT/ĐU", a_print):
        expect(row).to_contain_text(text)
    assert_readable(phone)
    assert_columns_visible(phone)
    phone.screenshot(path=str(tmp_path / "b-received-390.png"), full_page=True)
    after = b.counts()
    assert after == {"members": 1, "received": 1, "imports_audited": 1, "names": ["Nguyễn Văn Hùng"]}
    for p in (phone, a):
        assert not p.problems, p.problems
