"""dangbo registry merge: build one member registry from the predecessors' rolls.

    dangbo registry merge FILE... --out DIR [--map "header=field,…"] [--json]

Reads .xlsx, .xls and .csv rolls and writes, atomically (into a temporary
directory beside DIR, then renamed — an existing DIR is replaced only once the
new one is complete), DIR owner-only (0700, files 0600: they hold ID numbers).
An existing DIR is replaced only when it is empty or an earlier output (exactly
persons.csv, review.csv, report.json — the last a merge report); any other
non-empty folder, or a file, is refused before anything is read (Vietnamese
message, exit status 1, nothing touched).  Every CSV cell is formula-safe: a
text starting with ``=``, ``+``, ``-``, ``@`` gets a leading apostrophe:

- ``DIR/persons.csv`` (UTF-8): one row per person — ``person_id, full_name, surname, middle_name,
  given_name, sex, birth_date, national_id, party_card_no, home_town, admission_date, official_date,
  organization, sources, match, card_history, problems``.  Dates ``yyyy-mm-dd`` or ``yyyy``;
  ``sources`` the input rows as ``FILE:ROW`` joined by ``;``; ``match`` how the person was formed
  (``single``, ``national_id``, ``card+name``, ``name+birth+hometown`` — the weakest rule used);
  ``card_history`` every card number seen, ``;``-separated.
- ``DIR/review.csv``: pairs a human should look at — ``ref_a, ref_b, person_a, person_b, score,
  reason`` and for name, birth_date, national_id, party_card_no, sex, home_town the two values and
  the verdict (``<field>_a, <field>_b, <field>_cmp``).
- ``DIR/report.json``: per file (sheet, header row, columns, encodings, rows read / accepted /
  rejected with reasons, rows merged with another row, values not read / repaired, cells with
  invisible characters removed), all rejected rows, ``notes`` — every value that could not be read
  (left empty), was read with a change or lost invisible characters: file, row, column, value in the
  file, what was kept, the note — and totals.

``--map`` overrides the column guess: ``"Họ tên=full_name,Ngày, tháng, năm sinh=birth_date,D=national_id"``
(a header text or a column letter; fields: see ``dangbo.registry.headers.TARGETS``, or their
Vietnamese words ``headers.FIELD_LABELS``: ``"D=Số CCCD,Ngày vào Đảng (dd/mm/yyyy)=Ngày vào Đảng"``).  ``--json``
prints the totals as JSON on stdout.  Bad input: a Vietnamese message naming the file (row, column
where they apply) on stderr, exit status 1, nothing written.

    dangbo registry import FILE... --org CODE [--map "…"] [--json]

Runs the same merge, then imports it in one transaction: one member per person (in the organisation
of the target's active subtree whose name matches the person's ``organization`` column, folded;
otherwise the target itself when it is a cell), every source row kept as provenance, the review pairs
queued for the web review (/nhap-danh-sach/).  Prints a summary; with ``--json``
``{"batch", "members_created", "source_rows", "review_pairs"}``.  Any error: a Vietnamese message,
exit status 1, nothing saved.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.registry import headers as H
from dangbo.registry.merge import OutputDirError, check_output_dir, merge_files, write_outputs
from dangbo.registry.readers import RegistryInputError


def parse_map(text: str | None) -> dict[str, str] | None:
    """``"Họ tên=full_name,Ngày, tháng, năm sinh=birth_date"`` → a mapping; commas inside headers are kept."""
    if not text:
        return None
    out: dict[str, str] = {}
    pending = ""
    for piece in text.split(","):
        pending = f"{pending},{piece}" if pending else piece
        if "=" in piece:
            key, _, value = pending.rpartition("=")
            key, value = key.strip(), value.strip()
            if not key or not value:
                raise CommandError(f"--map: không hiểu \"{pending.strip()}\" (cần dạng tiêu_đề=trường)")
            target = H.target_of(value)  # "Ngày sinh" as well as birth_date
            if target is None:
                raise CommandError(f"--map: \"{value}\" không phải trường hợp lệ (chọn một trong: "
                                   f"{', '.join(H.FIELD_LABELS.values())})")
            out[key] = target
            pending = ""
    if pending.strip():
        raise CommandError(f"--map: không hiểu \"{pending.strip()}\" (cần dạng tiêu_đề=trường)")
    return out


class _Bar:
    """A one-line progress bar on a stream (drawn only on a terminal, at most ~10 times a second)."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.last = stream, enabled, 0.0
        self.labels = {"read": "Đọc tệp", "compare": "So khớp", "import": "Nhập"}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or stage not in self.labels:  # "rows_read", "matched": counts, not bars
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        label = self.labels.get(stage, stage)
        self.stream.write(f"\r{label:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(DangboCommand):
    help = "Gộp các danh sách đảng viên (.xlsx, .xls, .csv) thành một sổ đảng viên (merge)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{merge,import}")
        m = sub.add_parser("merge", help="gộp danh sách: persons.csv, review.csv, report.json trong --out")
        m.add_argument("files", nargs="+", metavar="FILE", help="tệp .xlsx, .xls hoặc .csv")
        m.add_argument("--out", required=True, metavar="DIR", help="thư mục kết quả")
        m.add_argument("--map", dest="map", metavar="MAP", help="\"tiêu đề=trường,…\" (chỉ định cột)")
        m.add_argument("--json", action="store_true", help="in tổng kết dạng JSON")
        m.add_argument("--progress", action=argparse_bool(), default=None,
                       help="hiện thanh tiến độ (mặc định: khi stderr là terminal)")

        i = sub.add_parser("import", help="gộp danh sách rồi nhập vào sổ đảng viên (một giao dịch)")
        i.add_argument("files", nargs="+", metavar="FILE", help="tệp .xlsx, .xls hoặc .csv")
        i.add_argument("--org", required=True, metavar="CODE", help="mã tổ chức đảng nhận danh sách")
        i.add_argument("--map", dest="map", metavar="MAP", help="\"tiêu đề=trường,…\" (chỉ định cột)")
        i.add_argument("--json", action="store_true", help="in tổng kết dạng JSON")
        i.add_argument("--progress", action=argparse_bool(), default=None,
                       help="hiện thanh tiến độ (mặc định: khi stderr là terminal)")

    def handle(self, *args, **o):
        if o["action"] == "merge":
            return self.merge(o)
        if o["action"] == "import":
            return self.import_(o)
        raise CommandError(f"không có thao tác \"{o['action']}\"")  # pragma: no cover

    def merge(self, o):
        mapping = parse_map(o.get("map"))
        show = o.get("progress")
        if show is None:
            show = bool(getattr(sys.stderr, "isatty", lambda: False)()) and self.stderr._out is sys.stderr
        bar = _Bar(self.stderr._out, show)
        try:
            check_output_dir(o["out"])  # before the work: a folder that is not ours is refused untouched
        except OutputDirError as e:
            raise CommandError(str(e)) from None
        with _no_gc():
            try:
                result = merge_files(o["files"], mapping=mapping, progress=bar, workers=_cores())
            except RegistryInputError as e:
                raise CommandError(str(e)) from None
            try:
                out = write_outputs(result, o["out"])
            except OutputDirError as e:
                raise CommandError(str(e)) from None
            except OSError as e:
                raise CommandError(f"Không ghi được thư mục kết quả \"{o['out']}\": {e.strerror or e}") from None
            totals = result.report["totals"]
            del result  # freed here, before the collector is back on (it would walk it all once)
        if o["json"]:
            self.stdout.write(json.dumps(dict(totals, out=str(out)), ensure_ascii=False))
            return
        self.stdout.write(
            f"Đã đọc {totals['rows_read']} dòng từ {totals['files']} tệp ({totals['rows_rejected']} dòng bị loại): "
            f"{totals['persons']} người, {totals['merged_rows']} dòng được gộp, "
            f"{totals['review_pairs']} cặp cần xem lại."
        )
        self.stdout.write(f"Kết quả: {out}/persons.csv, review.csv, report.json")


    def import_(self, o):
        from dangbo.orgs.models import Organization
        from dangbo.registry.services import RegistryImportError, import_files

        mapping = parse_map(o.get("map"))
        org = Organization.objects.filter(code=o["org"]).first()
        if org is None:
            raise CommandError(f"Không có tổ chức đảng mã \"{o['org']}\".")
        show = o.get("progress")
        if show is None:
            show = bool(getattr(sys.stderr, "isatty", lambda: False)()) and self.stderr._out is sys.stderr
        try:
            summary = import_files(o["files"], organization=org, mapping=mapping, progress=_Bar(self.stderr._out, show))
        except (RegistryInputError, RegistryImportError) as e:
            raise CommandError(str(e)) from None
        if o["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"Lần nhập #{summary.batch.pk} vào «{org.name}»: {summary.members_created} đảng viên từ "
            f"{summary.source_rows} dòng; {summary.review_pairs} cặp chờ xem xét (trang Nhập danh sách)."
        )


@contextlib.contextmanager
def _no_gc():
    """Pause the cyclic garbage collector: a run builds millions of objects and makes no cycles worth
    collecting, and the collector's passes over them cost a fifth of the time and more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cores() -> int:
    """Processes for normalising rows: the cores this process may use, at most 2 (the same result either way)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return max(1, min(2, n))


def argparse_bool():
    import argparse

    return argparse.BooleanOptionalAction
