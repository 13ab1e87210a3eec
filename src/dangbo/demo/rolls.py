"""The demo committee's predecessor rolls, written as the messy files offices really keep.

`write_rolls(plan, folder, seed=, today=)` writes, from `plan_members(plan, seed, today)`:

- ``phu-tho-cu.xlsx`` — Đảng bộ các cơ quan Đảng tỉnh Phú Thọ (cũ): TCVN3 text in ``.VnTime`` cells
  (header included), a third of the names in ALL CAPS in ``.VnTimeH`` cells, two title rows above the
  header, dates as date cells, Excel serials or "d/m/yyyy" text, IDs as numbers (leading zero lost).
- ``vinh-phuc.xlsx`` — Vĩnh Phúc: VNI-Times cells, "Họ và đệm" | "Tên" columns, a title row, other
  header wording, card numbers with dots or spaces.
- ``hoa-binh.csv`` — Hòa Bình: UTF-8 with a BOM, ``;``-separated, a title line, dates as text.
- ``bo-sung.csv`` — the new committee's own additions (Unicode CSV): members admitted on or after
  1/7/2025, who are on no predecessor roll.

Every member admitted before 1/7/2025 is on the roll of the old committee their predecessor
organisation (`MemberPlan.previous_org_code`) belonged to, and each row carries the NEW cell the
member belongs to (column "Chi bộ" / "Đơn vị" / "chi_bo"), which is how `registry import` places
people. The mess the merge must undo: some members typed twice into one roll (the copy sometimes with
the birth year only), some on two rolls (transferred in 2025, the same ID), IDs as numbers, cards
with dots / spaces, dates in several forms. Every row keeps the person's full ID, card and home town,
so merging the rolls gives back exactly the plan's people.

Cells whose name is not unique in the committee (two "Chi bộ Văn phòng Ban") are written with their
grassroots organisation ("Chi bộ Văn phòng Ban - Đảng bộ Ban Tổ chức Tỉnh ủy"), as offices do, and
`registry import` resolves the qualified name; all rolls are imported in one batch.

Deterministic for (plan, seed, today). Pure Python except openpyxl; no Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dangbo.demo.plan import CELL, MERGER_DATE, CommitteePlan, MemberPlan, committee_plan, plan_members
from dangbo.text.encodings import encode
from dangbo.text.vietnamese import fold

__all__ = ["ROLL_FILES", "RollSet", "card_number", "write_rolls"]

#: old committee code → roll file name (in the order they are imported)
ROLL_FILES: dict[str, str] = {
    "DBCQD-PTC": "phu-tho-cu.xlsx",
    "DBCQD-VP": "vinh-phuc.xlsx",
    "DBCQD-HB": "hoa-binh.csv",
}
EXTRA_FILE = "bo-sung.csv"
#: Rates of the mess (per person).
#: Rows left for the review queue (see `_layout`).
PRACTICE_PAIRS = 4
TYPED_TWICE = 0.03
TRANSFERRED = 0.06
CAPS = 0.33
SEX_TEXT = {"M": "Nam", "F": "Nữ"}


@dataclass
class RollSet:
    folder: Path
    #: (organisation code to import into, files) — the first is the whole committee's batch.
    batches: list[tuple[str, list[Path]]]
    rows: dict[str, int] = field(default_factory=dict)  # file name → data rows written

    @property
    def files(self) -> list[Path]:
        return [p for _, paths in self.batches for p in paths]


def card_number(mp: MemberPlan, seed: int | str) -> str:
    """The member's party card number (8 digits; none while probationary), stable per (seed, ID)."""
    if mp.person.is_probationary:
        return ""
    return str(random.Random(f"{seed}:card:{mp.person.national_id}").randint(10**7, 10**8 - 1))


def _serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


def _date(d: dt.date | None, rng: random.Random, *, xlsx: bool, year_only: bool = False):
    if d is None:
        return None
    if year_only:
        return d.year if xlsx and rng.random() < 0.5 else str(d.year)
    k = rng.random()
    if xlsx and k < 0.45:
        return dt.datetime(d.year, d.month, d.day)
    if xlsx and k < 0.6:
        return _serial(d)
    if k < 0.8:
        return f"{d.day}/{d.month}/{d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _card(card: str, rng: random.Random) -> str | None:
    if not card:
        return None
    k = rng.random()
    if k < 0.5:
        return card
    if k < 0.8:
        return f"{card[:2]}.{card[2:5]}.{card[5:]}"
    return f"{card[:2]} {card[2:5]} {card[5:]}"


def _nid(nid: str, rng: random.Random, *, xlsx: bool):
    return int(nid) if xlsx and rng.random() < 0.4 else nid


@dataclass
class _Row:
    mp: MemberPlan
    copy: bool  # a second row of the same person (typed twice, or on a second roll)
    cell: str  # the new cell's name
    practice: bool = False  # a second roll's row without ID and card, birth year only: left for review


def _layout(plan: CommitteePlan, members: list[MemberPlan], seed) -> dict[str, list[_Row]]:
    """Rows per file name (in roll order)."""
    rng = random.Random(f"{seed}:rolls")
    cell_name = {o.code: o.name for o in plan.member_cells}
    names = Counter(fold(o.name) for o in plan.orgs if o.is_active)
    shared = {c for c, n in cell_name.items() if names[fold(n)] > 1}
    committee_of = {o.code: o.parent_code for o in plan.predecessors}
    rolls: dict[str, list[_Row]] = {f: [] for f in (*ROLL_FILES.values(), EXTRA_FILE)}
    parent_name = {o.code: o.name for o in plan.orgs}
    cell_of = {o.code: o for o in plan.member_cells}
    for mp in members:
        cell = cell_of[mp.org_code]
        text = cell_name[mp.org_code]
        if mp.org_code in shared and cell.kind == CELL:
            text = f"{text} - {parent_name[cell.parent_code]}"
        row = _Row(mp, False, text)
        if mp.previous_org_code is None:
            rolls[EXTRA_FILE].append(row)
            continue
        home = ROLL_FILES[committee_of[mp.previous_org_code]]
        rolls[home].append(row)
        if rng.random() < TYPED_TWICE:
            rolls[home].append(_Row(mp, True, row.cell))
        if rng.random() < TRANSFERRED:
            other = rng.choice([f for f in ROLL_FILES.values() if f != home])
            rolls[other].append(_Row(mp, True, row.cell))
    for rows in rolls.values():
        rng.shuffle(rows)
    # A few rows of members on a second roll whose clerk never typed the ID, card number and home town
    # and wrote the birth year only: the merge cannot be sure, so they wait in the review queue for the office to
    # practise on (merging them gives back the plan's people). Their own random stream: every other
    # value of the rolls stays as it was.
    moved = [r for f, rows in rolls.items() if f != EXTRA_FILE for r in rows
             if r.copy and f != ROLL_FILES[committee_of[r.mp.previous_org_code]]]
    for r in random.Random(f"{seed}:practice").sample(moved, min(PRACTICE_PAIRS, len(moved))):
        r.practice = True
    return rolls


def _values(r: _Row, rng: random.Random, seed, *, xlsx: bool) -> dict:
    p = r.mp.person
    values = {
        "name": p.full_name,
        "sex": SEX_TEXT[p.sex],
        # a copy sometimes has the birth year only: the other row keeps the full date
        "birth": _date(p.birth_date, rng, xlsx=xlsx, year_only=r.copy and rng.random() < 0.3),
        "nid": _nid(p.national_id, rng, xlsx=xlsx),
        "card": _card(card_number(r.mp, seed), rng),
        "home": p.home_town,
        "admission": _date(p.admission_date, rng, xlsx=xlsx),
        "official": _date(p.official_date, rng, xlsx=xlsx),
        "cell": r.cell,
    }
    if r.practice:  # set after drawing, so the random stream of the other rows is unchanged
        # … and no home town: with the commune, name + year + admission day would merge (issue 15)
        values.update(nid=None, card=None, birth=str(p.birth_date.year), home=None)
    return values


def _tcvn3(text: str | None) -> str | None:
    return encode(text, "tcvn3", vn1_capitals=False) if text else text


def _write_tcvn3(path: Path, rows: list[_Row], rng: random.Random, seed) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    vn, vnh = Font(name=".VnTime"), Font(name=".VnTimeH")
    wb = Workbook()
    ws = wb.active
    ws.title = "DS dang vien"
    ws.append([encode("ĐẢNG BỘ CÁC CƠ QUAN ĐẢNG TỈNH PHÚ THỌ", "tcvn3_upper")])
    ws.append([_tcvn3("Danh sách đảng viên (đến 30/6/2025)")])
    ws["A1"].font, ws["A2"].font = vnh, vn
    head = ["STT", "Họ và tên", "Ngày, tháng, năm sinh", "Giới tính", "Số CCCD", "Số thẻ đảng viên",
            "Quê quán", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"]
    ws.append([_tcvn3(h) for h in head])
    for c in ws[3]:
        c.font = vn
    for k, r in enumerate(rows, start=1):
        v = _values(r, rng, seed, xlsx=True)
        caps = rng.random() < CAPS
        name = encode(v["name"].lower(), "tcvn3_upper") if caps else _tcvn3(v["name"])
        ws.append([k, name, v["birth"], _tcvn3(v["sex"]), v["nid"], v["card"], _tcvn3(v["home"]),
                   v["admission"], v["official"], _tcvn3(v["cell"])])
        row = k + 3
        for col, font in ((2, vnh if caps else vn), (4, vn), (7, vn), (10, vn)):
            ws.cell(row=row, column=col).font = font
    wb.save(path)


def _write_vni(path: Path, rows: list[_Row], rng: random.Random, seed) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    vni = Font(name="VNI-Times")
    wb = Workbook()
    ws = wb.active
    ws.title = "DS"
    ws.append([encode("DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ CÁC CƠ QUAN ĐẢNG TỈNH VĨNH PHÚC", "vni")])
    ws["A1"].font = vni
    ws.append([])
    ws.append(["TT", "Họ và đệm", "Tên", "Nam/Nữ", "Ngày sinh", "Số định danh cá nhân", "Số thẻ ĐV",
               "Nguyên quán", "Ngày kết nạp", "Ngày chính thức", "Đơn vị"])
    for k, r in enumerate(rows, start=1):
        v = _values(r, rng, seed, xlsx=True)
        sm, _, given = v["name"].rpartition(" ")
        ws.append([k, encode(sm, "vni"), encode(given, "vni"), encode(v["sex"], "vni"), v["birth"], v["nid"],
                   v["card"], encode(v["home"], "vni") if v["home"] else None, v["admission"], v["official"], encode(v["cell"], "vni")])
        for col in (2, 3, 4, 8, 11):
            ws.cell(row=k + 3, column=col).font = vni
    wb.save(path)


def _write_csv(path: Path, rows: list[_Row], rng: random.Random, seed, *, title: str, head: list[str]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([title] + [""] * (len(head) - 1))
    w.writerow(head)
    for k, r in enumerate(rows, start=1):
        v = _values(r, rng, seed, xlsx=False)
        w.writerow([k, v["name"], v["birth"], v["sex"], v["nid"], v["card"] or "", v["home"], v["admission"],
                    v["official"] or "", v["cell"]])
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


_CSV_HEAD = ["STT", "Họ tên", "Ngày sinh", "Giới", "Số CCCD", "Số thẻ", "Quê quán", "Ngày vào Đảng",
             "Ngày chính thức", "Chi bộ"]


def write_rolls(plan: CommitteePlan | None = None, folder: str | Path = ".", *, seed: int | str = 2025,
                today: dt.date | None = None, members: list[MemberPlan] | None = None) -> RollSet:
    """Write the demo's rolls into `folder` (created if needed); return the import batches."""
    plan = plan or committee_plan()
    today = today or dt.date.today()
    members = members if members is not None else plan_members(plan, seed=seed, today=today)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rolls = _layout(plan, members, seed)
    rng = random.Random(f"{seed}:roll-values")
    out = RollSet(folder, [])
    main: list[Path] = []
    pt, vp, hb = ROLL_FILES.values()
    _write_tcvn3(folder / pt, rolls[pt], rng, seed)
    _write_vni(folder / vp, rolls[vp], rng, seed)
    _write_csv(folder / hb, rolls[hb], rng, seed,
               title="DANH SÁCH ĐẢNG VIÊN - ĐẢNG BỘ CÁC CƠ QUAN ĐẢNG TỈNH HÒA BÌNH", head=_CSV_HEAD)
    _write_csv(folder / EXTRA_FILE, rolls[EXTRA_FILE], rng, seed,
               title=f"Đảng viên kết nạp từ {MERGER_DATE:%d/%m/%Y} (bổ sung)", head=_CSV_HEAD)
    for name in (pt, vp, hb, EXTRA_FILE):
        main.append(folder / name)
        out.rows[name] = len(rolls[name])
    out.batches.append((plan.committee.code, main))
    return out
