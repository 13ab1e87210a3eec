"""dangbo demo [--seed N] [--today YYYY-MM-DD]: build the demo committee (idempotent; does not serve).

The members come from the predecessor committees' rolls, written as messy files into
VAR_DIR/demo-rolls and merged + imported (demo.build); the command prints where the rolls are and the
merge summary of each import batch (persons, merged pairs, pairs for review).
"""

from datetime import date

from django.core.management import call_command

from dangbo.core.command import DangboCommand
from dangbo.demo.build import build_demo


class Command(DangboCommand):
    help = "Tạo dữ liệu mẫu: Đảng bộ các cơ quan Đảng tỉnh Phú Thọ (hư cấu người), chạy lại không nhân đôi."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="ngày hiện tại giả định")

    def handle(self, *args, **o):
        call_command("migrate", interactive=False, verbosity=0)
        result = build_demo(seed=o["seed"], today=o["today"],
                            progress=lambda i, n: self.stderr.write(f"  … {i}/{n} đảng viên", ending="\r"))
        self.stderr.write("")
        verb = "Đã tạo" if result.created else "Đã có sẵn"
        self.stdout.write(f"{verb} dữ liệu mẫu: {result.organizations} tổ chức, {result.members} đảng viên.")
        if result.rolls is not None:
            self.stdout.write(f"Danh sách đảng viên của các đảng bộ cũ (tệp mẫu): {result.rolls}")
        for b in result.imports:
            self.stdout.write(
                f"  Nhập vào «{b['org']}» từ {', '.join(b['files'])}: {b['rows']} dòng → {b['persons']} người, "
                f"{b['merged_pairs']} cặp được gộp, {b['review_pairs']} cặp chờ xem xét."
            )
        self.stdout.write("Đăng nhập (mật khẩu dùng cho bản mẫu):")
        for username, password, role in result.logins:
            self.stdout.write(f"  {username} / {password}  — {role}")
