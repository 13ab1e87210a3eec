"""dangbo restore FILE: a `dangbo backup` file into the empty database named by DATABASE_URL.

Refuses a database that holds data (see ops/backup.py for what "empty" means) and leaves it untouched.
"""

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.core.errors import InvalidInput
from dangbo.ops.backup import ENGINE_LABEL, restore


class Command(DangboCommand):
    help = "Khôi phục tệp sao lưu vào cơ sở dữ liệu trống (DATABASE_URL); cơ sở dữ liệu đã có dữ liệu bị từ chối."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp do dangbo backup tạo ra")

    def handle(self, *args, **o):
        try:
            result = restore(o["file"])
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã khôi phục cơ sở dữ liệu {ENGINE_LABEL[result.engine]} từ {result.path}. "
                          "Chạy «dangbo migrate» nếu bản sao lưu có từ phiên bản cũ hơn.")
