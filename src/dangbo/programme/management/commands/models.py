"""dangbo models list [--org CODE] [--year YYYY] --json

The models registry (MOD-1, MOD-2): Ho Chi Minh study models and «Dân vận khéo» models registered
in the subtree of --org (default: every organisation). With --year, only the models kept up that year
(started by then, not ended before) — the same filter the computed model targets count, so a model
target's `actual` in `dangbo programme status` is what this list implies for the same year.

`--json` prints one array:
    [{"id", "org", "kind": "hcm_study"|"dan_van_kheo", "title", "field", "start_year",
      "status": "registered"|"recognised"|"ended"}]
`org` is the registering organisation's code; `field` one of economy, culture_society,
defence_security, political_system for a «Dân vận khéo» model, "" for a study model; `status` as of
--year (without it: as of now). Bad input: a Vietnamese message on stderr, status 1, nothing on stdout.
"""

from __future__ import annotations

import json

from dangbo.core.command import DangboCommand
from dangbo.programme import rules, selectors
from dangbo.programme.management.commands.programme import org_option, year_option


def models_json(path: str, year: int | None) -> list[dict]:
    return [{"id": m.id, "org": m.organization.code, "kind": m.kind, "title": m.title, "field": m.field,
             "start_year": m.start_year, "status": m.status(year)}
            for m in selectors.models_in(path, year=year).order_by("id")]


class Command(DangboCommand):
    help = "Sổ mô hình: mô hình học tập và làm theo Bác, mô hình «Dân vận khéo» (list)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list}")
        s = sub.add_parser("list", help="danh sách mô hình")
        s.add_argument("--org", help="mã tổ chức đảng (mặc định: tất cả)")
        s.add_argument("--year", help="năm (yyyy): chỉ các mô hình duy trì trong năm")
        s.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        path = org_option(o["org"]).path if o.get("org") is not None else ""
        year = year_option(o["year"]) if o.get("year") is not None else None
        rows = models_json(path, year)
        if o.get("json"):
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            field = f" — {rules.DVK_FIELDS[r['field']]}" if r["field"] else ""
            self.stdout.write(f"{r['id']}\t{r['org']}\t{rules.MODEL_KIND_SHORT[r['kind']]}{field}\t{r['title']}\t"
                              f"từ {r['start_year']}\t{rules.MODEL_STATUS_LABELS[r['status']]}")
        self.stdout.write(f"{len(rows)} mô hình")
