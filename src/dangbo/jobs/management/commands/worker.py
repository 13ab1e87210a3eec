"""dangbo worker [--once] [--poll SECONDS]: the background worker (imports of rolls uploaded on the web).

Runs beside `dangbo serve` (same settings, same database). At start and every half minute it fails
the jobs whose worker died and deletes their uploaded files; then it claims queued jobs one at a time.
SIGTERM or Ctrl+C: the running job is put back in the queue (what it wrote is removed) and the worker
exits with status 0. `--once`: do the queued jobs, then exit.
"""

import logging

from dangbo.core.command import DangboCommand
from dangbo.jobs.worker import Worker


class Command(DangboCommand):
    help = "Chạy bộ xử lý nền (nhập danh sách tải lên từ trang web)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="làm hết các việc đang chờ rồi thoát")
        parser.add_argument("--poll", type=float, default=None, metavar="GIÂY",
                            help="khoảng chờ giữa hai lần xem hàng đợi (mặc định 1 giây)")

    def handle(self, *args, **o):
        logging.getLogger("dangbo.jobs").setLevel(logging.INFO)
        worker = Worker(poll=o["poll"])
        self.stdout.write(f"Bộ xử lý nền đang chạy ({worker.ident}); Ctrl+C để dừng.")
        self.stdout.flush()
        worker.run(once=o["once"])
        self.stdout.write("Bộ xử lý nền đã dừng.")
