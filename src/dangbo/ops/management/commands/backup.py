"""dangbo backup FILE: a consistent copy of the database named by DATABASE_URL, owner-only (0600).

SQLite: the online backup API (safe while the server writes); PostgreSQL: pg_dump -Fc. See ops/backup.py.
"""

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.core.errors import InvalidInput
from dangbo.ops.backup import ENGINE_LABEL, backup


class Command(DangboCommand):
    help = "Sao lưu cơ sở dữ liệu (DATABASE_URL) vào một tệp chỉ chủ sở hữu đọc được; chạy được khi máy chủ đang phục vụ."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao lưu (ghi đè tệp cùng tên khi sao lưu xong)")

    def handle(self, *args, **o):
        try:
            result = backup(o["file"])
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã sao lưu cơ sở dữ liệu {ENGINE_LABEL[result.engine]} vào {result.path} "
                          f"({result.size:,} byte).".replace(",", "."))
