"""Word documents of an election round (python-docx): the ballot paper and the counting minutes.

Ballot paper: names in the official list order; a list with surplus is marked by striking names, a
list without surplus (CON-5) uses the agree / disagree form. Counting minutes (CON-9, 190-QĐ/TW
Điều 8): congress, what is elected, seats, summoned, present, excluded from the base by category,
issued, returned, valid, invalid with reasons, votes and % of the base per candidate, the elected in
descending votes, ties and runoff, complaints and the committee's rulings — with the chain's
fingerprint and the CON-10 number of the congress's series.
"""

from __future__ import annotations

from dangbo.congress.models import COUNTING, BodyMember, CongressDocument
from dangbo.core.wordfile import centered, new_document, to_bytes
from dangbo.elections import chain, rules, services
from dangbo.elections.models import AGREE_FORM, Election


def _pct(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + "%"


def result_rows(e: Election) -> dict:
    """The stored result, shaped for pages and the minutes."""
    r = e.result or {}
    if not r:
        return {}
    by_no = {c["no"]: c for c in r["candidates"]}
    disagree = r.get("disagree", {})
    elected, runoff = r.get("elected", []), set(r.get("runoff", []))
    rank = {no: i for i, no in enumerate(elected, start=1)}
    rows = [{**c, "pct": _pct(c["percent_of_base"]), "disagree": disagree.get(str(c["no"]), 0),
             "rank": rank.get(c["no"]), "runoff": c["no"] in runoff} for c in r["candidates"]]
    return {"rows": rows, "elected": [by_no[no] | {"pct": _pct(by_no[no]["percent_of_base"])} for no in elected],
            "runoff": [by_no[no] for no in r.get("runoff", [])], "threshold": r.get("threshold"),
            "base": r.get("base"), "valid": r.get("valid"), "invalid": r.get("invalid"),
            "ballots": r.get("ballots"), "unfilled": r.get("unfilled", 0),
            "invalid_reasons": [(rules.REASON_LABELS.get(k, k), n) for k, n in r.get("invalid_reasons", {}).items()]}


def _number(e: Election, kind: str) -> str:
    doc = CongressDocument.objects.filter(congress=e.congress, ref=e.ref, kind=kind).first()
    return doc.label if doc else "…"


def ballot_paper(e: Election) -> bytes:
    c = e.congress
    d = new_document()
    centered(d, c.name.upper(), bold=True)
    centered(d, f"Số: {_number(e, services.BALLOT_PAPER_KIND)}")
    centered(d, "PHIẾU BẦU CỬ", bold=True, size=16)
    centered(d, e.title.upper().replace("BẦU ", "", 1), bold=True)
    centered(d, f"Nhiệm kỳ {c.term} — số lượng cần bầu: {e.seats}")
    cands = list(e.candidates.all())
    if e.form == AGREE_FORM:
        table = d.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("STT", "Họ và tên", "Đồng ý", "Không đồng ý"), strict=True):
            cell.text = text
        for cand in cands:
            row = table.add_row().cells
            row[0].text, row[1].text = str(cand.no), cand.full_name
        d.add_paragraph("Đồng ý người nào thì đánh dấu (x) vào ô «Đồng ý», không đồng ý thì đánh dấu vào ô "
                        "«Không đồng ý» (mỗi tên chỉ đánh dấu một ô).")
    else:
        table = d.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("STT", "Họ và tên"), strict=True):
            cell.text = text
        for cand in cands:
            row = table.add_row().cells
            row[0].text, row[1].text = str(cand.no), cand.full_name
        d.add_paragraph(f"Không bầu người nào thì gạch ngang cả họ và tên người đó. Không giữ lại quá {e.seats} "
                        "tên; phiếu không có dấu của Ban Kiểm phiếu, ghi thêm tên hoặc có dấu hiệu riêng là phiếu "
                        "không hợp lệ.")
    centered(d, "(Dấu của Ban Kiểm phiếu)")
    return to_bytes(d)


def counting_minutes(e: Election) -> bytes:
    c = e.congress
    r = result_rows(e)
    parts = e.base_parts or {}
    labels = dict(services.BASE_CATEGORIES.get(parts.get("kind", c.kind), []))
    d = new_document()
    centered(d, c.name.upper(), bold=True)
    centered(d, "BAN KIỂM PHIẾU")
    centered(d, f"Số: {_number(e, services.MINUTES_KIND)}")
    centered(d, "BIÊN BẢN KIỂM PHIẾU", bold=True, size=16)
    centered(d, e.title.upper(), bold=True)
    d.add_paragraph(f"Đại hội: {c.name} ({c.get_kind_display().lower()}), nhiệm kỳ {c.term}.")
    d.add_paragraph(f"Bầu: {e.get_body_display()}. Lần bầu: {e.round_no}"
                    + (" — bầu lại trong số những người bằng phiếu nhau (người nhiều phiếu hơn trúng cử, "
                       "không cần quá một nửa)." if e.is_runoff else "."))
    d.add_paragraph(f"Số lượng cần bầu: {e.seats}. Số người trong danh sách bầu cử: {len(r['rows'])}.")
    noun = "đại biểu chính thức" if c.kind == "delegates" else "đảng viên chính thức"
    d.add_paragraph(f"Tổng số {noun} được triệu tập: {parts.get('summoned', '…')}; có mặt: {parts.get('present', '…')}.")
    excluded = parts.get("excluded", {})
    d.add_paragraph("Không tính vào cơ sở tính kết quả (CON-7):")
    for key, n in excluded.items():
        d.add_paragraph(f"{labels.get(key, key)}: {n}", style="List Bullet")
    d.add_paragraph(f"Cơ sở tính kết quả bầu cử: {e.base}"
                    + (f"; trúng cử cần ít nhất {r['threshold']} phiếu (quá một nửa)." if r["threshold"] else "."))
    d.add_paragraph(f"Số phiếu phát ra: {e.issued}; số phiếu thu vào: {e.returned}; hợp lệ: {r['valid']}; "
                    f"không hợp lệ: {r['invalid']}.")
    for label, n in r["invalid_reasons"]:
        d.add_paragraph(f"{label}: {n}", style="List Bullet")
    d.add_paragraph("Kết quả (phần trăm so với cơ sở tính kết quả):")
    agree = e.form == AGREE_FORM
    cols = ("STT", "Họ và tên", "Số phiếu" + (" đồng ý" if agree else ""), "Tỷ lệ") + (("Không đồng ý",) if agree else ())
    table = d.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, cols, strict=True):
        cell.text = text
    for row in r["rows"]:
        cells = table.add_row().cells
        values = [str(row["no"]), row["full_name"], str(row["votes"]), row["pct"]] + ([str(row["disagree"])] if agree else [])
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if r["elected"]:
        d.add_paragraph("Những người trúng cử (theo số phiếu từ cao xuống thấp):")
        for i, row in enumerate(r["elected"], start=1):
            d.add_paragraph(f"{i}. {row['full_name']} — {row['votes']} phiếu ({row['pct']})")
    else:
        d.add_paragraph("Không có người trúng cử.")
    if r["runoff"]:
        d.add_paragraph("Bằng phiếu nhau ở vị trí cuối, phải bầu lại trong số: "
                        + ", ".join(f"{x['full_name']} ({x['votes']} phiếu)" for x in r["runoff"]) + " (CON-8).")
    if r["unfilled"]:
        d.add_paragraph(f"Còn {r['unfilled']} chỗ chưa bầu đủ; Đại hội quyết định việc bầu tiếp.")
    decided = list(e.ballots.exclude(decision="").order_by("ballot_no"))
    d.add_paragraph("Phiếu Ban Kiểm phiếu đọc lại hoặc quyết định:" if decided
                    else "Không có phiếu phải đọc lại hay quyết định.")
    for b in decided:
        d.add_paragraph(f"Phiếu số {b.ballot_no}: {b.get_decision_display()} — {b.decision_reason}",
                        style="List Bullet")
    d.add_paragraph("Khiếu nại, kiến nghị: " + (e.complaints or "không có."))
    d.add_paragraph(f"Kiểm phiếu bằng máy tính, nhập hai lần độc lập, dưới sự giám sát của Ban Kiểm phiếu. "
                    f"Dấu vân tay chuỗi phiếu (SHA-256 của phiếu cuối cùng trong chuỗi {r['ballots']} phiếu): "
                    f"{chain.format_fingerprint(e.fingerprint)}")
    d.add_paragraph("Kiểm tra lại: dangbo election verify --ballots phieu.csv --fingerprint <dấu vân tay>")
    tellers = list(BodyMember.objects.filter(body__congress=c, body__kind=COUNTING)
                   .select_related("delegate__member").order_by("-is_head", "order", "id"))
    if tellers:
        d.add_paragraph("Ban Kiểm phiếu: " + ", ".join(
            t.delegate.member.full_name + (" (Trưởng ban)" if t.is_head else "") for t in tellers) + ".")
    centered(d, "TRƯỞNG BAN KIỂM PHIẾU                    CÁC THÀNH VIÊN BAN KIỂM PHIẾU", bold=True)
    if tellers:
        table = d.add_table(rows=1, cols=len(tellers))
        for cell, t in zip(table.rows[0].cells, tellers, strict=True):
            cell.text = "\n\n\n" + t.delegate.member.full_name
    return to_bytes(d)
