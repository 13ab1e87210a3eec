"""dangbo programme status --org CODE --year YYYY --json

The term programme's figures for one organisation and one year (TGT-1..3, 5): the targets of the
programme it follows (its own, else the nearest one above it whose term holds the year), each with
its goal for the year (else the term's goal), its actual over the organisation's subtree, whether it
is met and how it was obtained; and the key tasks with the year's action items and how many are done.

`--json` prints exactly one object:
    {"org", "term", "year",
     "targets": [{"code", "title", "unit", "goal", "actual", "met", "source": "computed"|"reported",
                  "organizations": {"counted", "meeting"}}],
     "tasks": [{"code", "title", "items", "done"}]}
`organizations` is present only for targets counted over organisations; `goal`, `actual`, `met` are
null when there is no goal or no figure. Without --json: the same in a Vietnamese table. Bad input:
a Vietnamese message on stderr, status 1, nothing on stdout.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.orgs.models import Organization
from dangbo.programme import selectors
from dangbo.programme.models import Target


def number(value):
    return None if value is None else float(value)


def year_option(value) -> int:
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise CommandError(f"--year phải là năm bốn chữ số (nhận được «{value}»).")
    return int(text)


def org_option(code) -> Organization:
    code = (code or "").strip()
    if not code:
        raise CommandError("Thiếu --org (mã tổ chức đảng).")
    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise CommandError(f"Không có tổ chức đảng mã «{code}».")
    return org


def status_json(org: Organization, year: int) -> dict:
    data = selectors.programme_status(org, year)
    if data is None:
        raise CommandError(f"«{org.name}» chưa có chương trình toàn khoá nào có năm {year} "
                           "(của chính tổ chức hoặc cấp trên).")
    targets = []
    for row in data["targets"]:
        out = {"code": row["code"], "title": row["title"], "unit": row["unit"], "goal": number(row["goal"]),
               "actual": number(row["actual"]), "met": row["met"], "source": row["source"]}
        if row["organizations"] is not None:
            out["organizations"] = {"counted": row["organizations"].counted,
                                    "meeting": row["organizations"].meeting}
        targets.append(out)
    return {"org": org.code, "term": data["term"], "year": year, "targets": targets,
            "tasks": [{"code": t["code"], "title": t["title"], "items": t["items"], "done": t["done"]}
                      for t in data["tasks"]]}


def _vn(value) -> str:
    from dangbo.core.numbers import vn_figure

    return "—" if value is None else vn_figure(value)


class Command(DangboCommand):
    help = "Chương trình toàn khoá: số liệu các chỉ tiêu và nhiệm vụ của một tổ chức trong một năm (status)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{status}")
        s = sub.add_parser("status", help="chỉ tiêu và nhiệm vụ của một tổ chức trong một năm")
        s.add_argument("--org", help="mã tổ chức đảng")
        s.add_argument("--year", help="năm (yyyy)")
        s.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        year = year_option(o.get("year"))
        org = org_option(o.get("org"))
        data = status_json(org, year)
        if o.get("json"):
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{org.name} — nhiệm kỳ {data['term']}, năm {year}")
        met = {True: "Đạt", False: "Chưa đạt", None: "—"}
        for t in data["targets"]:
            src = dict(Target.SOURCE_CHOICES)[t["source"]]
            self.stdout.write(f"  {t['code']}: {t['title']} — mục tiêu {_vn(t['goal'])} {t['unit']}, "
                              f"thực hiện {_vn(t['actual'])} {t['unit']} ({met[t['met']]}; {src.lower()})")
        for t in data["tasks"]:
            self.stdout.write(f"  {t['code']}: {t['title']} — {t['done']}/{t['items']} việc đã xong")
