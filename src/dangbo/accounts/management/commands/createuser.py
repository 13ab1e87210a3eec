"""dangbo createuser USERNAME --role office|secretary|member [--org CODE] [--member ID] [--password P]"""

import getpass

from django.core.management.base import CommandError

from dangbo.accounts.models import ROLE_CHOICES
from dangbo.accounts.services import account_create
from dangbo.core.command import DangboCommand
from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.orgs.models import Organization


class Command(DangboCommand):
    help = "Tạo tài khoản với vai trò và phạm vi (tổ chức đảng hoặc hồ sơ đảng viên)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r for r, _ in ROLE_CHOICES])
        parser.add_argument("--org", help="mã tổ chức đảng (phạm vi của cán bộ / bí thư)")
        parser.add_argument("--member", type=int, help="id hồ sơ đảng viên (tài khoản đảng viên)")
        parser.add_argument("--password", help="mật khẩu; bỏ trống để nhập ẩn")

    def handle(self, *args, **o):
        org = None
        if o["org"]:
            org = Organization.objects.filter(code=o["org"]).first()
            if org is None:
                raise CommandError(f"Không có tổ chức đảng mã «{o['org']}».")
        member = Member.objects.filter(pk=o["member"]).first() if o["member"] else None
        if o["member"] and member is None:
            raise CommandError(f"Không có đảng viên id {o['member']}.")
        password = o["password"] or getpass.getpass("Mật khẩu: ")
        try:
            account_create(actor=None, username=o["username"], password=password, role=o["role"],
                           organization=org, member=member)
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã tạo tài khoản {o['username']} ({o['role']}).")
