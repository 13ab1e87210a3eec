"""Member rolls generated independently of ``registry_synth.py``, and ``dangbo registry merge`` scored on them.

    .venv/bin/python bench/registry_independent.py --rows 3000 --seed 11 --out /tmp/indep3k           # write only
    .venv/bin/python bench/registry_independent.py --rows 3000 --seed 11 --out /tmp/indep3k --score   # + merge, score

Issue 15 asks for the review queue (≤ 2 % of rows), zero wrong merges and found recall ≥ 0.99 "on rolls
you did not tune on". ``registry_synth.py`` draws people from ``dangbo.demo.people`` and damages them
with its own rates; this generator shares neither: its own name, place and cell tables, its own
distributions and error model (nothing from ``dangbo.demo``). What it does differently:

* namesake-heavy regions: predecessor A draws surnames, middle and given names from small pools
  (six in ten people are Nguyễn, a dozen given names per sex, forty communes), so many different
  people share a full name, a birth year, often a commune; B and C draw from wider pools;
* people who moved between the provinces (on two predecessors' rolls, another cell, sometimes a new
  card), people typed twice (in the main roll and in A's supplementary roll);
* ID numbers typed wrongly in other ways: with spaces / dots, as a spreadsheet number (leading zero
  lost), the old 9-digit CMND instead of the 12-digit CCCD, a digit doubled, the last digit dropped,
  missing more often; card numbers with a letter O for a zero, a lost leading zero (a number cell);
* missing columns: the TCVN3 roll has no card column, the VNI roll no sex and no home town;
* dates in several written forms: date cells, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``,
  "ngày 5 tháng 3 năm 1975", ISO, two-digit years, month/year or year alone; a birth day off by one;
* names: diacritics dropped on some rows, ALL CAPS, doubled spaces, the middle name left out, a tone
  mark changed.

Four files for three predecessors in three encodings: ``a-chinh.xlsx`` (Unicode, openpyxl),
``b-tcvn3.csv`` (TCVN3 bytes, ``,``), ``c-vni.csv`` (VNI bytes, ``;``, tab-free) and ``a-bo-sung.csv``
(UTF-8 without BOM, other header spellings); a file of more than 100,000 rows is split into parts
(``a-chinh-2.xlsx``, ``b-tcvn3-2.csv`` …, the readers' cell limit per sheet). The legacy bytes are written with
``dangbo.text.encodings.encode`` (the decoder's tables in reverse; every name written is checked to
decode back, and the count is in ``truth.json``). ``truth.json`` beside them maps every ``FILE:ROW``
(the row as the merge reports it) to the true person and the damage done to that row.

``--score`` runs ``dangbo registry merge`` on the four files as a user would (a subprocess of this
virtualenv's ``dangbo``), reads ``persons.csv`` / ``review.csv`` / ``report.json`` and prints: wrong
merges, precision, auto recall, found recall (merged or queued), review pairs as % of rows, the
merge's wall time and peak RSS (``getrusage(RUSAGE_CHILDREN)``: the largest of the merge and its forked
reader), and which kinds of pairs are missed, queued falsely or merged wrongly.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from dangbo.text.encodings import decode, encode

FILES = ("a-chinh.xlsx", "b-tcvn3.csv", "c-vni.csv", "a-bo-sung.csv")
#: Rows of one file: a larger roll is written as parts (``a-chinh-2.xlsx`` …), each within the
#: readers' limit of filled cells per sheet (``dangbo.registry.limits.MAX_CELLS``, 1.2 M: 100,000 rows
#: of 10 columns and a title), as an office splits a roll too large for one sheet.
ROWS_PER_PART = 100_000

# ---------------------------------------------------------------- tables (this file's own)

#: Per predecessor: surnames with weights, middle names per sex, given names per sex, province, ID prefix.
REGIONS = [
    {  # A: namesake-heavy (small pools)
        "province": "Hà Nam", "id_prefix": "035", "communes": 40,
        "surnames": {"Nguyễn": 60, "Trần": 12, "Lê": 8, "Phạm": 8, "Vũ": 6, "Đỗ": 6},
        "middle": {"M": {"Văn": 70, "Đức": 10, "Minh": 10, "Xuân": 10}, "F": {"Thị": 85, "Thu": 8, "Minh": 7}},
        "given": {"M": ["Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Thắng", "Hưng", "Cường", "Quang", "Sơn",
                        "Toàn"],
                  "F": ["Hương", "Lan", "Hoa", "Hằng", "Nga", "Thủy", "Mai", "Hà", "Huyền", "Liên", "Yến",
                        "Thảo"]},
    },
    {  # B: wider pools
        "province": "Nam Định", "id_prefix": "036", "communes": 90,
        "surnames": {"Nguyễn": 30, "Trần": 12, "Lê": 9, "Phạm": 8, "Hoàng": 6, "Vũ": 6, "Đặng": 5, "Bùi": 5,
                     "Đỗ": 5, "Hồ": 3, "Ngô": 3, "Dương": 3, "Lý": 2, "Đinh": 3},
        "middle": {"M": {"Văn": 40, "Đức": 10, "Minh": 10, "Quốc": 8, "Hữu": 8, "Công": 8, "Trọng": 8, "Ngọc": 8},
                   "F": {"Thị": 60, "Thu": 8, "Ngọc": 8, "Thanh": 8, "Kim": 8, "Phương": 8}},
        "given": {"M": ["Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Thắng", "Hưng", "Cường", "Quang", "Sơn",
                        "Toàn", "Khánh", "Lâm", "Phúc", "Thành", "Trung", "Vinh", "Đạt", "Kiên", "Nghĩa", "Bình",
                        "Hiếu", "Tùng", "Việt", "Quý", "Lợi", "Tiến", "Huy", "Chiến"],
                  "F": ["Hương", "Lan", "Hoa", "Hằng", "Nga", "Thủy", "Mai", "Hà", "Huyền", "Liên", "Yến", "Thảo",
                        "Trang", "Linh", "Ngân", "Dung", "Oanh", "Loan", "Nhung", "Tâm", "Vân", "Xuân", "Phượng",
                        "Giang", "Quyên", "Hạnh", "Duyên", "Hiền", "Lý", "Tuyết"]},
    },
    {  # C: wide pools, other names
        "province": "Ninh Bình", "id_prefix": "037", "communes": 70,
        "surnames": {"Nguyễn": 25, "Đinh": 10, "Phạm": 10, "Trần": 8, "Lê": 8, "Hoàng": 6, "Mai": 5, "Vũ": 5,
                     "Bùi": 6, "Tạ": 3, "Quách": 3, "Lương": 4, "Cao": 4, "Phan": 3},
        "middle": {"M": {"Văn": 35, "Đình": 15, "Bá": 10, "Xuân": 10, "Duy": 10, "Thế": 10, "Khắc": 10},
                   "F": {"Thị": 55, "Hồng": 10, "Bích": 10, "Diệu": 10, "Mỹ": 8, "Quỳnh": 7}},
        "given": {"M": ["Khải", "Lực", "Mạnh", "Nhân", "Phong", "Quân", "Tài", "Thịnh", "Thuận", "Trường", "Tú",
                        "Vượng", "Hoà", "Hậu", "Định", "Đông", "Giáp", "Hoạt", "Khoa", "Luận", "Ninh", "Sáng",
                        "Thiện", "Tuyển"],
                  "F": ["Ánh", "Cúc", "Đào", "Gấm", "Hậu", "Huệ", "Khuyên", "Lụa", "Mận", "Nguyệt", "Nhàn", "Quế",
                        "Sen", "Thơm", "Thuận", "Trâm", "Uyên", "Vui", "Xoan", "Yên"]},
    },
]
COMMUNE_WORDS = ["Tân", "Hòa", "Bình", "Yên", "Phú", "Thanh", "An", "Đồng", "Liên", "Trung", "Hưng", "Quang",
                 "Thắng", "Lợi", "Thịnh", "Đạo", "Nghĩa", "Sơn", "Hải", "Mỹ"]
DISTRICT_WORDS = ["Kim Bảng", "Thanh Liêm", "Bình Lục", "Lý Nhân", "Ý Yên", "Hải Hậu", "Giao Thủy", "Nghĩa Hưng",
                  "Gia Viễn", "Hoa Lư", "Yên Mô", "Kim Sơn"]
#: Share of the rows of each file (A's main roll, B, C, A's supplementary roll).
FILE_SHARE = (0.36, 0.30, 0.24, 0.10)
#: The error model (per person, or per row; ``copy`` rates only on a person's second row).
RATES = {
    "moved": 0.10, "moved_new_card": 0.3, "twice": 0.05,
    "caps": 0.08, "no_diacritics": 0.07, "spaces": 0.05, "copy_no_middle": 0.02, "copy_tone": 0.02,
    "id_missing": 0.18, "id_spaced": 0.15, "id_number": 0.35,  # a number cell (xlsx) loses the leading zero
    "copy_id_cmnd": 0.02, "copy_id_double": 0.01, "copy_id_drop": 0.01,
    "card_missing": 0.10, "card_number": 0.3, "copy_card_o": 0.01,
    "date_month_year": 0.03, "date_year": 0.04, "date_two_digit": 0.03, "copy_birth_day_off": 0.01,
    "home_missing": 0.08, "home_short": 0.2, "sex_missing": 0.04,
}


def weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


@dataclass
class Person:
    key: str
    region: int
    sex: str
    surname: str
    middle: str
    given: str
    birth: dt.date
    nid: str
    cmnd: str
    card: str | None
    new_card: str | None
    commune: str
    district: str
    admission: dt.date
    cells: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.surname} {self.middle} {self.given}"


def make_people(n: int, rng: random.Random) -> list[Person]:
    communes = [[f"{rng.choice(COMMUNE_WORDS)} {rng.choice(COMMUNE_WORDS)}" for _ in range(r["communes"])]
                for r in REGIONS]
    people = []
    taken: set[str] = set()  # ID, CMND and card numbers are unique, as the real ones are

    def unique(make) -> str:
        while (x := make()) in taken:
            pass
        taken.add(x)
        return x

    for i in range(n):
        region = rng.choices((0, 1, 2), weights=(FILE_SHARE[0] + FILE_SHARE[3], FILE_SHARE[1], FILE_SHARE[2]))[0]
        r = REGIONS[region]
        sex = "M" if rng.random() < 0.62 else "F"
        year = int(rng.triangular(1945, 2004, 1975))
        birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        adm_year = min(2024, year + rng.randint(18, 40))
        admission = dt.date(adm_year, rng.choice((1, 2, 3, 5, 9, 12)), rng.randint(1, 28))
        head = f"{r['id_prefix']}{(0 if year < 2000 else 2) + (sex == 'F')}{year % 100:02d}"
        nid = unique(lambda head=head: f"{head}{rng.randrange(10**6):06d}")
        card = None if adm_year >= 2024 else unique(lambda: f"{rng.randrange(10**8):08d}")
        people.append(Person(
            key=f"P{i:07d}", region=region, sex=sex, surname=weighted(rng, r["surnames"]),
            middle=weighted(rng, r["middle"][sex]), given=rng.choice(r["given"][sex]), birth=birth, nid=nid,
            cmnd=unique(lambda: f"{rng.randrange(10**8, 10**9)}"), card=card,
            new_card=unique(lambda: f"{rng.randrange(10**8):08d}") if card and rng.random() < RATES["moved_new_card"]
            else None,
            commune=rng.choice(communes[region]), district=rng.choice(DISTRICT_WORDS), admission=admission,
            cells=[f"Chi bộ thôn {rng.randint(1, 25)}" if rng.random() < 0.7 else f"Chi bộ Trường {rng.randint(1, 9)}"]))
    return people


def plan(people: list[Person], rng: random.Random) -> list[list[tuple[Person, bool]]]:
    """(person, is_copy) rows per file."""
    files: list[list[tuple[Person, bool]]] = [[], [], [], []]
    home_file = {0: None, 1: 1, 2: 2}
    for p in people:
        f = home_file[p.region]
        if f is None:
            f = 0 if rng.random() < FILE_SHARE[0] / (FILE_SHARE[0] + FILE_SHARE[3]) else 3
        files[f].append((p, False))
        if rng.random() < RATES["moved"]:  # moved to another province: on its roll too, another cell
            other = rng.choice([x for x in (0, 1, 2) if x != p.region])
            p.cells.append(f"Chi bộ khu phố {rng.randint(1, 30)}")
            files[{0: 0, 1: 1, 2: 2}[other]].append((p, True))
        if rng.random() < RATES["twice"]:  # typed twice: A's in both of its rolls, the others in theirs
            files[(3 if f == 0 else 0) if p.region == 0 else f].append((p, True))
    for rows in files:
        rng.shuffle(rows)
    return files


# ---------------------------------------------------------------- the mess of one row


def no_marks(s: str) -> str:
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in d if not unicodedata.combining(c)))


def change_tone(word: str, rng: random.Random) -> str:
    """Another tone on the word (Hùng → Húng, Lan → Lán): its tone mark taken off and another put after
    the last vowel's own mark (â, ơ …) — after, so that NFC composes them as one letter."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    d = unicodedata.normalize("NFD", word)
    at = next((i for i, c in enumerate(d) if c in tones), None)
    old = d[at] if at is not None else ""
    base = len([c for c in d[:at] if not unicodedata.combining(c)]) - 1 if at is not None else None
    d = "".join(c for c in d if c not in tones)
    vowels = [i for i, c in enumerate(d) if c.lower() in "aeiouy"]
    if not vowels:
        return word
    if base is not None:  # the letter that carried the tone keeps carrying one
        i = [k for k, c in enumerate(d) if not unicodedata.combining(c)][base] + 1
    else:
        i = vowels[-1] + 1
    while i < len(d) and unicodedata.combining(d[i]):
        i += 1
    return unicodedata.normalize("NFC", d[:i] + rng.choice([t for t in tones if t != old]) + d[i:])


def date_text(d: dt.date, rng: random.Random, tags: list[str], what: str, *, cell: bool) -> object:
    k = rng.random()
    if k < RATES["date_year"]:
        tags.append(f"{what}_year_only")
        return str(d.year)
    k -= RATES["date_year"]
    if k < RATES["date_month_year"]:
        tags.append(f"{what}_month_year")
        return f"{d.month:02d}/{d.year}"
    k -= RATES["date_month_year"]
    if k < RATES["date_two_digit"]:
        tags.append(f"{what}_two_digit_year")
        return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}"
    if cell and rng.random() < 0.5:
        return d
    return rng.choice((f"{d.day}/{d.month}/{d.year}", f"{d.day:02d}-{d.month:02d}-{d.year}",
                       f"{d.day:02d}.{d.month:02d}.{d.year}", f"ngày {d.day} tháng {d.month} năm {d.year}",
                       d.isoformat(), f"{d.day:02d}/{d.month:02d}/{d.year}"))


def row(p: Person, copy: bool, file: int, rng: random.Random) -> tuple[dict, list[str]]:
    """The values of one row of ``p`` in file ``file`` and the damage done (tags)."""
    tags: list[str] = []
    sm = f"{p.surname} {p.middle}"
    if copy and rng.random() < RATES["copy_no_middle"]:
        sm, _ = p.surname, tags.append("no_middle")
    given = p.given
    if copy and rng.random() < RATES["copy_tone"]:
        given, _ = change_tone(given, rng), tags.append("tone_changed")
    name = f"{sm} {given}"
    if rng.random() < RATES["no_diacritics"]:
        name, _ = no_marks(name), tags.append("no_diacritics")
    if rng.random() < RATES["caps"]:
        name, _ = name.upper(), tags.append("caps")
    if rng.random() < RATES["spaces"]:
        name = name.replace(" ", "  ", 1) + " "
    cell = file == 0
    nid: object = None
    if rng.random() < RATES["id_missing"]:
        tags.append("id_missing")
    else:
        nid = p.nid
        if copy and rng.random() < RATES["copy_id_cmnd"]:
            nid, _ = p.cmnd, tags.append("id_old_cmnd")
        elif copy and rng.random() < RATES["copy_id_double"]:
            i = rng.randrange(3, 12)
            nid, _ = nid[:i] + nid[i] + nid[i:], tags.append("id_digit_doubled")
        elif copy and rng.random() < RATES["copy_id_drop"]:
            nid, _ = nid[:-1], tags.append("id_last_digit_dropped")
        if cell and rng.random() < RATES["id_number"]:
            nid = int(nid)
        elif rng.random() < RATES["id_spaced"]:
            nid = f"{nid[:3]} {nid[3:6]} {nid[6:]}" if rng.random() < 0.5 else f"{nid[:3]}.{nid[3:6]}.{nid[6:]}"
    card: object = p.card
    if card and copy and p.new_card and p.region != file % 3:
        card, _ = p.new_card, tags.append("new_card")
    if card is None or file == 1 or rng.random() < RATES["card_missing"]:
        card = None
        tags.append("card_missing")
    else:
        if copy and rng.random() < RATES["copy_card_o"] and "0" in card:
            card, _ = card.replace("0", "O", 1), tags.append("card_letter_o")
        elif cell and rng.random() < RATES["card_number"]:
            if card.startswith("0"):
                tags.append("card_zero_lost")
            card = int(card)
    birth = p.birth
    if copy and rng.random() < RATES["copy_birth_day_off"]:
        birth, _ = birth + dt.timedelta(days=rng.choice((-1, 1))), tags.append("birth_day_off")
    home = None
    if file != 2 and rng.random() >= RATES["home_missing"]:
        province = REGIONS[p.region]["province"]
        home = (f"{p.commune}, {province}" if rng.random() < RATES["home_short"]
                else rng.choice((f"xã {p.commune}, huyện {p.district}, tỉnh {province}",
                                 f"{p.commune} - {p.district} - {province}")))
    else:
        tags.append("home_missing")
    sex = None
    if file != 2 and rng.random() >= RATES["sex_missing"]:
        sex = rng.choice({"M": ("Nam", "nam", "NAM"), "F": ("Nữ", "nữ", "Nu")}[p.sex])
    else:
        tags.append("sex_missing")
    values = {
        "name": name, "birth": date_text(birth, rng, tags, "birth", cell=cell), "sex": sex, "nid": nid, "card": card,
        "home": home, "admission": date_text(p.admission, rng, tags, "admission", cell=cell),
        "official": date_text(p.admission.replace(year=p.admission.year + 1), rng, [], "official", cell=cell)
        if p.admission.year < 2024 else None,
        "cell": p.cells[-1] if copy and len(p.cells) > 1 and p.region != file % 3 else p.cells[0],
    }
    return values, tags


# ---------------------------------------------------------------- files


def legacy_bytes(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding`` as the bytes a legacy CSV holds (each cp1252 character → its byte;
    the C1 code points, which cp1252 leaves undefined, → the byte of the same value)."""
    s = encode(text, encoding, vn1_capitals=False) if encoding == "tcvn3" else encode(text, encoding)
    out = bytearray()
    for c in s:
        try:
            out += c.encode("cp1252")
        except UnicodeEncodeError:
            out.append(ord(c))  # U+0080–U+009F
    return bytes(out)


def _csv_line(cells: list, delimiter: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerow(["" if c is None else c for c in cells])
    return buf.getvalue()


def write_files(rows: int, seed: int, out: Path) -> dict:
    from openpyxl import Workbook

    rng = random.Random(f"independent-{seed}")
    n_people = max(10, round(rows / (1 + RATES["moved"] + RATES["twice"])))
    people = make_people(n_people, rng)
    files = plan(people, rng)
    out.mkdir(parents=True, exist_ok=True)
    truth: dict[str, list] = {}
    roundtrip = {"checked": 0, "failed": 0}

    written: list[str] = []

    def parts(index: int):
        """(file name, rows) per part of file ``index``: the file as it is up to :data:`ROWS_PER_PART`
        rows (the 3 k and 100 k rolls of before, byte for byte), else split as an office splits a roll
        too large for one sheet — ``a-chinh.xlsx``, ``a-chinh-2.xlsx`` … (the readers' cell limit)."""
        rows = files[index]
        stem, dot, ext = FILES[index].rpartition(".")
        for n, start in enumerate(range(0, max(len(rows), 1), ROWS_PER_PART), start=1):
            name = FILES[index] if n == 1 else f"{stem}-{n}{dot}{ext}"
            written.append(name)
            yield name, rows[start:start + ROWS_PER_PART]

    # A's main roll: xlsx, Unicode, a title row, date cells, IDs and cards as number cells.
    for name, part in parts(0):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Đảng viên")
        ws.append(["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ TỈNH HÀ NAM (cũ)"])
        ws.append(["STT", "Họ và tên đảng viên", "Ngày tháng năm sinh", "Giới tính", "Số định danh cá nhân",
                   "Số thẻ Đảng", "Quê quán", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ sinh hoạt"])
        for k, (p, copy) in enumerate(part, start=1):
            v, tags = row(p, copy, 0, rng)
            ws.append([k, v["name"], v["birth"], v["sex"], v["nid"], v["card"], v["home"], v["admission"],
                       v["official"], v["cell"]])
            truth[f"{name}:{k + 2}"] = [p.key, tags]
        wb.save(out / name)

    # B: CSV in TCVN3 bytes, ",", no card column, header typed under .VnTime too.
    def legacy_csv(index: int, encoding: str, header: list[str], cells, delimiter: str) -> None:
        for name, part in parts(index):
            with (out / name).open("wb") as f:
                f.write(legacy_bytes(_csv_line(header, delimiter), encoding))
                for k, (p, copy) in enumerate(part, start=2):
                    v, tags = row(p, copy, index, rng)
                    line = _csv_line(cells(k - 1, v), delimiter)
                    data = legacy_bytes(line, encoding)
                    roundtrip["checked"] += 1  # case aside: .VnTime has no toned capitals (written lower case)
                    got = decode(data.decode("latin-1").translate(_C1), encoding)
                    roundtrip["failed"] += got.lower() != unicodedata.normalize("NFC", line).lower()
                    f.write(data)
                    truth[f"{name}:{k}"] = [p.key, tags]

    legacy_csv(1, "tcvn3", ["TT", "Họ tên", "Ngày sinh", "Nam/Nữ", "Số CCCD", "Quê quán", "Ngày kết nạp",
                            "Ngày chính thức", "Đơn vị"],
               lambda k, v: [k, v["name"], v["birth"], v["sex"], v["nid"], v["home"], v["admission"], v["official"],
                             v["cell"]], ",")
    # C: CSV in VNI bytes, ";", no sex and no home town column.
    legacy_csv(2, "vni", ["Số TT", "Họ và tên", "Sinh ngày", "Số căn cước công dân", "Số thẻ đảng viên",
                          "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"],
               lambda k, v: [k, v["name"], v["birth"], v["nid"], v["card"], v["admission"], v["official"], v["cell"]],
               ";")
    # A's supplementary roll: UTF-8 without BOM, other header spellings and column order.
    for name, part in parts(3):
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["HỌ TÊN", "GIỚI TÍNH", "NGÀY SINH", "QUÊ QUÁN", "CCCD", "SỐ THẺ ĐV", "KẾT NẠP", "CHÍNH THỨC",
                        "ĐƠN VỊ"])
            for k, (p, copy) in enumerate(part, start=2):
                v, tags = row(p, copy, 3, rng)
                w.writerow(["" if x is None else x for x in (v["name"], v["sex"], v["birth"], v["home"], v["nid"],
                                                             v["card"], v["admission"], v["official"], v["cell"])])
                truth[f"{name}:{k}"] = [p.key, tags]

    info = {"seed": seed, "rows": len(truth), "people": n_people, "files": written, "rates": RATES,
            "legacy_lines_roundtrip": roundtrip,
            "people_region": {p.key: [p.region, p.name, p.birth.isoformat(), p.commune] for p in people},
            "rows_truth": truth}
    (out / "truth.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return info


_C1 = {b: chr(b) for b in range(0x80, 0xA0)}
_C1.update({b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)})


# ---------------------------------------------------------------- the merge, scored


def run_merge(out: Path, files: list[str]) -> dict:
    dangbo = Path(sys.executable).parent / "dangbo"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    subprocess.run([str(dangbo), "registry", "merge", *(str(out / f) for f in files), "--out", str(out / "merged")],
                   check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"merge_wall_s": round(wall, 1), "merge_peak_rss_mb": round(peak / 1024) if peak > before else None,
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}


def _pair_kind(ta: list[str], tb: list[str], pa: int, pb: int) -> str:
    tags = sorted(set(ta) | set(tb))
    tags = [t for t in tags if t not in ("caps", "sex_missing", "home_missing", "card_missing")
            and not t.startswith("admission_") or t == "admission_year_only"]
    return " + ".join(tags) or "(no damage named)"


def score(out: Path, info: dict, dump: Path | None = None) -> dict:
    truth = info["rows_truth"]
    merged = out / "merged"
    report = json.loads((merged / "report.json").read_text(encoding="utf-8"))
    person_of: dict[str, str] = {}
    clusters: list[list[str]] = []
    person_row: dict[str, dict] = {}
    with (merged / "persons.csv").open(encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            refs = rec["sources"].split(";")
            clusters.append(refs)
            person_row[rec["person_id"]] = rec
            for r in refs:
                person_of[r] = rec["person_id"]
    with (merged / "review.csv").open(encoding="utf-8") as f:
        review = list(csv.DictReader(f))
    unknown = [r for r in person_of if r not in truth]
    if unknown:
        raise SystemExit(f"refs not in the truth (row numbering differs): {unknown[:5]}")
    key = {r: truth[r][0] for r in person_of}
    by_key: dict[str, list[str]] = defaultdict(list)
    for r in person_of:
        by_key[key[r]].append(r)
    true_pairs = {tuple(sorted(x)) for g in by_key.values() for x in combinations(g, 2)}
    pred_pairs = {tuple(sorted(x)) for g in clusters for x in combinations(g, 2)}
    tp = true_pairs & pred_pairs
    shown = {frozenset((person_of[x["ref_a"]], person_of[x["ref_b"]])) for x in review}
    found = {pr for pr in true_pairs if pr in tp or frozenset((person_of[pr[0]], person_of[pr[1]])) in shown}
    wrong = [g for g in clusters if len({key[r] for r in g}) > 1]
    region = info["people_region"]
    missed = Counter()
    for a, b in sorted(true_pairs - found):
        missed[_pair_kind(truth[a][1], truth[b][1], 0, 0)] += 1
    if dump is not None:  # the missed pairs, each with its truth tags and the two persons as merged
        with dump.open("w", encoding="utf-8") as f:
            for a, b in sorted(true_pairs - found):
                f.write(json.dumps({"refs": [a, b], "tags": [truth[a][1], truth[b][1]],
                                    "persons": [person_row[person_of[a]], person_row[person_of[b]]]},
                                   ensure_ascii=False) + "\n")
    false_review = Counter()
    for x in review:
        if key[x["ref_a"]] != key[x["ref_b"]]:
            pa, pb = region[key[x["ref_a"]]], region[key[x["ref_b"]]]
            same = ("same name" if pa[1] == pb[1] else "other name") + (
                ", same birth day" if pa[2] == pb[2] else ", same birth year" if pa[2][:4] == pb[2][:4] else "")
            false_review[f"{x.get('kind', '?')}: {same}"] += 1
    true_review = Counter(x.get("kind", "?") for x in review if key[x["ref_a"]] == key[x["ref_b"]])
    wrong_examples = [[[r, region[key[r]][1], region[key[r]][2], truth[r][1]] for r in g] for g in wrong[:5]]
    rows = len(truth)
    totals = report.get("totals", {})
    return {
        "rows": rows, "rows_accepted": len(person_of), "rows_rejected": rows - len(person_of),
        "true_persons": len(by_key), "persons": len(clusters), "true_pairs": len(true_pairs),
        "predicted_pairs": len(pred_pairs), "wrong_merges": len(wrong),
        "precision": round(len(tp) / len(pred_pairs), 5) if pred_pairs else 1.0,
        "auto_recall": round(len(tp) / len(true_pairs), 5) if true_pairs else 1.0,
        "found_recall": round(len(found) / len(true_pairs), 5) if true_pairs else 1.0,
        "review_pairs": len(review), "review_pct_of_rows": round(100 * len(review) / rows, 3),
        "review_pairs_true": sum(true_review.values()), "review_true_by_kind": dict(true_review.most_common()),
        "review_false_by_kind": dict(false_review.most_common(12)),
        "weak_pairs": totals.get("weak_pairs"), "weak_by_reason": totals.get("weak_by_reason"),
        "missed_pairs": len(true_pairs - found), "missed_by_damage": dict(missed.most_common(15)),
        "wrong_merge_examples": wrong_examples,
        "values_unread": totals.get("values_unread"),
        "legacy_lines_roundtrip": info["legacy_lines_roundtrip"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3000, help="about this many rows over the four files")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", required=True, help="folder for the four files, truth.json and merged/")
    ap.add_argument("--score", action="store_true", help="run `dangbo registry merge` on them and score it")
    ap.add_argument("--dump-missed", type=Path, help="write the true pairs neither merged nor queued here (JSON lines)")
    ap.add_argument("--rescore", action="store_true", help="score the merged/ already in --out (no new merge)")
    ap.add_argument("--reuse", action="store_true", help="keep the files already in --out (same --rows/--seed)")
    o = ap.parse_args(argv)
    out = Path(o.out)
    t0 = time.perf_counter()
    if o.reuse and (out / "truth.json").exists():
        info = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    else:
        info = write_files(o.rows, o.seed, out)
    figures: dict = {"seed": info["seed"], "rows": info["rows"], "generate_s": round(time.perf_counter() - t0, 1)}
    if o.score or o.rescore:
        if not o.rescore:
            figures |= run_merge(out, info["files"])
        figures |= score(out, info, o.dump_missed)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
