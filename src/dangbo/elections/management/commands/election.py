"""dangbo election tally|verify: count a round of paper ballots (CON-6..CON-8) and check an export.

    dangbo election tally --candidates C.csv --ballots B.csv --seats N --base BASE [--chain-out FILE]
                          [--kind committee|standing_committee|secretary|deputy|inspection|delegates] [--json]
    dangbo election verify --ballots EXPORT.csv [--candidates C.csv --seats N --base BASE]
                           [--fingerprint HEX] [--json]

C.csv: columns `no,full_name` (ballot order). B.csv: `ballot_no,kept,flags` — `kept` the candidate
numbers left un-struck, space-separated (empty when every name is struck); `flags` space-separated
from `unstamped`, `added_name`, `mark`. EXPORT.csv: `ballot_no,kept,flags,hash` (see elections.chain).
CSV files may start with a UTF-8 BOM and use `,`, `;` or tab as delimiter.

`--kind` says what is elected and checks the list against CON-5 (`elections.rules.list_problem`): an
executive (`committee`) or standing committee list without surplus, or with more than
max(1, ⌊30% × seats⌋) extra names, is refused; without `--kind` nothing is checked (as before).
`tally --json` prints {"base", "threshold", "valid", "invalid", "invalid_reasons", "candidates": [{"no",
"full_name", "votes", "percent_of_base"}], "elected", "runoff", "unfilled"}, plus "fingerprint" when
--chain-out is given. `verify --json` prints {"ok", "rows", "first_bad_row", "reason", "fingerprint",
"tally"}; it exits with status 2 when the chain does not verify. Bad input: a Vietnamese message naming
the file, line and column on stderr, status 1, nothing on stdout.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from dangbo.core.command import DangboCommand
from dangbo.core.csvfile import CsvError, CsvRow, read_csv
from dangbo.core.rulesettings import configured
from dangbo.core.safecells import SafeDictWriter
from dangbo.elections import chain, rules

#: `--kind` → what is elected (`elections.rules.ELECTION_BODIES`).
KINDS: dict[str, str] = {"committee": "executive_committee", "standing_committee": "standing_committee",
                         "secretary": "secretary", "deputy": "deputy_secretary",
                         "inspection": "inspection_commission", "delegates": "upper_delegates"}


def rule_settings() -> rules.CongressRuleSettings:
    """The med/low congress rules as configured (settings.DANGBO_RULES), documented defaults otherwise."""
    return configured(rules.CongressRuleSettings)


# --------------------------------------------------------------------------------------------------
# Reading the election files
# --------------------------------------------------------------------------------------------------


def read_candidates(path: str) -> list[tuple[int, str]]:
    rows = read_csv(path, ("no", "full_name"))
    out, seen = [], {}
    for row in rows:
        no = row.integer("no", minimum=1)
        if no in seen:
            raise row.error("no", f"số thứ tự {no} trùng với dòng {seen[no]}.")
        seen[no] = row.line
        out.append((no, row.text("full_name")))
    if not out:
        raise CsvError(f"Tệp {path}: danh sách ứng cử viên trống.")
    return out


def read_ballots(path: str, candidates: list[tuple[int, str]] | None, *,
                 with_hash: bool = False) -> tuple[list[tuple], list[CsvRow]]:
    """(ballots [(ballot_no, kept, flags[, hash])], rows). Checks numbers, known candidates (when
    given), repeated names and flags; duplicate ballot numbers only when not `with_hash` (in an
    export, a duplicated row is for the chain check to find)."""
    columns = chain.EXPORT_COLUMNS if with_hash else ("ballot_no", "kept", "flags")
    rows = read_csv(path, columns[:2], columns[2:]) if not with_hash else read_csv(path, columns)
    known = {no for no, _ in candidates} if candidates is not None else None
    out, seen = [], {}
    for row in rows:
        ballot_no = row.integer("ballot_no", minimum=1)
        if not with_hash and ballot_no in seen:
            raise row.error("ballot_no", f"phiếu số {ballot_no} đã nhập ở dòng {seen[ballot_no]} "
                                         "(một phiếu không được tính hai lần).")
        seen.setdefault(ballot_no, row.line)
        kept = row.integers("kept")
        for no in kept:
            if known is not None and no not in known:
                raise row.error("kept", f"không có ứng cử viên số {no} trong danh sách.")
        if len(set(kept)) != len(kept):
            raise row.error("kept", "một ứng cử viên được ghi hai lần.")
        flags = row.words("flags")
        for f in flags:
            if f not in rules.FLAGS:
                raise row.error("flags", f"«{f}» không hợp lệ (chỉ dùng: {', '.join(rules.FLAGS)}).")
        if with_hash:
            h = row.text("hash").lower()
            out.append((ballot_no, kept, flags, h))
        else:
            out.append((ballot_no, set(kept), set(flags)))
    return out, rows


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + "%"


def tally_table(result: rules.TallyResult) -> list[str]:
    """The result as a readable Vietnamese table (what the counting minutes show)."""
    names = {c.no: c.full_name for c in result.candidates}
    lines = [
        f"Cơ sở tính kết quả: {result.base} — trúng cử cần ít nhất {result.threshold} phiếu "
        "(quá một nửa cơ sở)" if result.threshold is not None else
        f"Cơ sở tính kết quả: {result.base} — bầu lại: người nhiều phiếu hơn trúng cử",
        f"Số lượng cần bầu: {result.seats}",
        f"Phiếu thu vào: {result.ballots} — hợp lệ: {result.valid} — không hợp lệ: {result.invalid}",
    ]
    for reason, n in result.invalid_reasons.items():
        lines.append(f"  • {rules.REASON_LABELS.get(reason, reason)}: {n}")
    width = max([len("Họ và tên"), *(len(c.full_name) for c in result.candidates)])
    lines.append("")
    lines.append(f"{'STT':>4}  {'Họ và tên':<{width}}  {'Số phiếu':>8}  {'% cơ sở':>8}")
    for c in result.candidates:
        lines.append(f"{c.no:>4}  {c.full_name:<{width}}  {c.votes:>8}  {_pct(c.percent_of_base):>8}")
    lines.append("")
    if result.elected:
        lines.append("Trúng cử (theo số phiếu từ cao xuống thấp):")
        lines += [f"  {no}. {names[no]}" for no in result.elected]
    else:
        lines.append("Không ai trúng cử.")
    if result.runoff:
        lines.append(f"Bằng phiếu ở vị trí cuối, phải bầu lại trong số: "
                     f"{', '.join(f'{no}. {names[no]}' for no in result.runoff)}")
    if result.unfilled:
        lines.append(f"Còn thiếu {result.unfilled} người so với số lượng cần bầu.")
    return lines


class Command(DangboCommand):
    help = "Kiểm phiếu bầu cử (tally) và kiểm tra lại tệp phiếu đã xuất (verify)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{tally,verify}")
        t = sub.add_parser("tally", help="kiểm phiếu một lần bầu (danh sách có số dư, gạch tên)")
        t.add_argument("--candidates", required=True, help="CSV: no,full_name (theo thứ tự trên phiếu)")
        t.add_argument("--ballots", required=True, help="CSV: ballot_no,kept,flags")
        t.add_argument("--seats", required=True, type=int, help="số lượng cần bầu")
        t.add_argument("--base", required=True, type=int, help="cơ sở tính kết quả (CON-7)")
        t.add_argument("--chain-out", help="ghi tệp phiếu có chuỗi băm: ballot_no,kept,flags,hash")
        t.add_argument("--kind", help="bầu gì, để kiểm tra số dư (CON-5): " + "|".join(KINDS))
        t.add_argument("--json", action="store_true", help="in JSON")
        v = sub.add_parser("verify", help="kiểm tra chuỗi băm của tệp xuất và kiểm phiếu lại")
        v.add_argument("--ballots", required=True, help="CSV đã xuất: ballot_no,kept,flags,hash")
        v.add_argument("--candidates", help="CSV: no,full_name (để kiểm phiếu lại)")
        v.add_argument("--seats", type=int, help="số lượng cần bầu")
        v.add_argument("--base", type=int, help="cơ sở tính kết quả")
        v.add_argument("--fingerprint", help="dấu vân tay ghi trong biên bản kiểm phiếu")
        v.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **o):
        try:
            if o["action"] == "tally":
                return self.tally(o)
            return self.verify(o)
        except (CsvError, ValueError) as e:
            raise CommandError(str(e)) from None

    @staticmethod
    def _positive(o, name: str, label: str) -> int:
        value = o.get(name)
        if value is None or value < 1:
            raise CommandError(f"--{name} ({label}) phải là số nguyên dương.")
        return value

    def tally(self, o):
        seats = self._positive(o, "seats", "số lượng cần bầu")
        base = self._positive(o, "base", "cơ sở tính kết quả")
        kind = o.get("kind")
        if kind is not None and kind not in KINDS:
            raise CommandError(f"--kind phải là một trong: {', '.join(KINDS)} (nhận được «{kind}»).")
        candidates = read_candidates(o["candidates"])
        if kind is not None:
            problem = rules.list_problem(KINDS[kind], len(candidates), seats, settings=rule_settings())
            if problem:
                raise CommandError(f"Tệp {o['candidates']}: {problem}")
        ballots, _ = read_ballots(o["ballots"], candidates)
        result = rules.tally(candidates, ballots, seats=seats, base=base, settings=rule_settings())
        data = result.as_dict()
        if o.get("chain_out"):
            rows = chain.export_rows(ballots)
            try:
                with open(o["chain_out"], "w", encoding="utf-8", newline="") as f:
                    w = SafeDictWriter(f, fieldnames=chain.EXPORT_COLUMNS, lineterminator="\n")
                    w.writeheader()
                    w.writerows(rows)
            except OSError as e:
                raise CommandError(f"Không ghi được tệp {o['chain_out']}: {e.strerror or e}.") from None
            data["fingerprint"] = rows[-1]["hash"] if rows else chain.GENESIS
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for line in tally_table(result):
            self.stdout.write(line)
        if "fingerprint" in data:
            self.stdout.write(f"Dấu vân tay chuỗi phiếu: {chain.format_fingerprint(data['fingerprint'])}")

    def verify(self, o):
        given = [o.get("candidates") is not None, o.get("seats") is not None, o.get("base") is not None]
        if any(given) and not all(given):
            raise CommandError("Để kiểm phiếu lại cần đủ --candidates, --seats và --base.")
        candidates = None
        if all(given):
            self._positive(o, "seats", "số lượng cần bầu")
            self._positive(o, "base", "cơ sở tính kết quả")
            candidates = read_candidates(o["candidates"])
        export, rows = read_ballots(o["ballots"], candidates, with_hash=True)
        res = chain.verify(export, fingerprint=o.get("fingerprint"), candidates=candidates, seats=o.get("seats"),
                           base=o.get("base"), settings=rule_settings())
        data = {"ok": res.ok, "rows": res.rows, "first_bad_row": res.first_bad_row, "reason": res.reason,
                "fingerprint": res.fingerprint, "tally": res.tally.as_dict() if res.tally else None}
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        elif res.ok:
            self.stdout.write(f"Chuỗi băm khớp: {res.rows} phiếu.")
            self.stdout.write(f"Dấu vân tay: {chain.format_fingerprint(res.fingerprint)}")
            if res.tally:
                self.stdout.write("")
                for line in tally_table(res.tally):
                    self.stdout.write(line)
        if not res.ok:
            if res.first_bad_row is not None:
                line = rows[res.first_bad_row - 1].line
                msg = (f"Tệp {o['ballots']}, dòng {line}, cột «hash»: chuỗi băm không khớp — phiếu này "
                       "hoặc một phiếu trước nó đã bị sửa, xóa hoặc đổi thứ tự.")
            else:
                msg = (f"Tệp {o['ballots']}: dấu vân tay tính lại ({chain.format_fingerprint(res.fingerprint)}) "
                       "khác dấu vân tay trong biên bản — tệp đã bị thêm, bớt phiếu cuối hoặc tính lại toàn bộ.")
            raise CommandError(msg, returncode=2)
