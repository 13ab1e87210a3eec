"""dangbo vote result: whether an open vote of a congress passes (CON-4), on the rule the web uses.

    dangbo vote result --kind resolution|procedural --summoned N [--excluded K] --present P --yes Y
                       [--no M] [--json]

`resolution` (nghị quyết): the base is the congress's members, N − K (official delegates or members
summoned minus those excluded under 24-QĐ/TW point 9.3; Điều lệ Đảng Điều 9.5), and it passes with
⌊base/2⌋ + 1 in favour whatever the attendance. `procedural` (the congress's bodies, agenda, rules …):
the base is those present (setting `vote_base`, low; K is not used), more than `vote_majority_pct`%.
Y + M may not exceed P (only those present vote), nor P exceed N − K for a resolution (the excluded
are absent).

`--json` prints exactly one object {"kind", "base", "needed", "yes", "passed"}. Bad input: a
Vietnamese message on stderr, status 1, nothing on stdout.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from dangbo.congress import rules as congress_rules
from dangbo.core.command import DangboCommand
from dangbo.core.rulesettings import configured
from dangbo.votes import rules

#: option → (dest, what it is, required)
NUMBERS = (("summoned", "số được triệu tập", True), ("excluded", "số loại trừ khỏi cơ sở tính", False),
           ("present", "số có mặt", True), ("yes", "số tán thành", True), ("no", "số không tán thành", False))


def _number(o, name: str, label: str, required: bool) -> int:
    """Option `--name` as a whole number ≥ 0, or a Vietnamese CommandError (argparse's own errors are
    English, so the values are read as text and checked here)."""
    value = o.get(name)
    if value is None:
        if required:
            raise CommandError(f"Thiếu --{name} ({label}).")
        return 0
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise CommandError(f"--{name} ({label}) phải là số nguyên không âm (nhận được «{value}»).")
    return int(text)


class Command(DangboCommand):
    help = "Biểu quyết công khai: kết quả theo cơ sở tính của nghị quyết hoặc biểu quyết thủ tục (result)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{result}")
        r = sub.add_parser("result", help="một biểu quyết có được thông qua không (CON-4)")
        r.add_argument("--kind", help="resolution (nghị quyết) hoặc procedural (thủ tục)")
        for name, label, _required in NUMBERS:
            r.add_argument(f"--{name}", help=label)
        r.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        kind = (o.get("kind") or "").strip()
        if kind not in (rules.RESOLUTION, rules.PROCEDURAL):
            raise CommandError(f"--kind phải là «{rules.RESOLUTION}» (nghị quyết) hoặc «{rules.PROCEDURAL}» "
                               f"(biểu quyết thủ tục){f'; nhận được «{kind}»' if kind else ''}.")
        n = {name: _number(o, name, label, required) for name, label, required in NUMBERS}
        try:
            data = rules.motion_result(kind=kind, summoned=n["summoned"], excluded=n["excluded"],
                                       present=n["present"], yes=n["yes"], no=n["no"],
                                       settings=configured(rules.VoteRuleSettings),
                                       congress_settings=configured(congress_rules.CongressRuleSettings))
        except ValueError as e:
            raise CommandError(str(e)) from None
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        what = "Nghị quyết" if kind == rules.RESOLUTION else "Biểu quyết thủ tục"
        how = (f"số thành viên = {n['summoned']} triệu tập − {n['excluded']} loại trừ" if kind == rules.RESOLUTION
               else rules.BASE_LABELS[rules.base_method(kind, configured(rules.VoteRuleSettings))])
        self.stdout.write(f"{what}: cơ sở tính {data['base']} ({how}); cần ít nhất {data['needed']} phiếu tán thành.")
        self.stdout.write(f"Tán thành: {data['yes']}/{data['base']} — "
                          f"{'THÔNG QUA' if data['passed'] else 'KHÔNG THÔNG QUA'}.")
