"""dangbo stats [--json]: counts for the database in use (see README for the fields)."""

import json

from dangbo.core.command import DangboCommand
from dangbo.members.models import Member
from dangbo.members.rules import COUNTED_STATES
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import is_grassroots


class Command(DangboCommand):
    help = "Thống kê tổ chức và đảng viên đang có hiệu lực."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        active = Organization.objects.filter(valid_to__isnull=True)
        members = Member.objects.filter(state__in=COUNTED_STATES)
        probationary = members.filter(state="probationary").count()
        total = members.count()
        data = {
            "organizations": active.count(),
            "grassroots": sum(1 for k in active.values_list("kind", flat=True) if is_grassroots(k)),
            "members": total,
            "official": total - probationary,
            "probationary": probationary,
            "exempt": members.filter(state="exempt").count(),
            "temporarily_away": members.filter(away=True).count(),
            "dissolved_organizations": Organization.objects.filter(valid_to__isnull=False).count(),
        }
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            for k, v in data.items():
                self.stdout.write(f"{k}: {v}")
