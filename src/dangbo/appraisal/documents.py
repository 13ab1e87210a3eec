"""Word documents of an appraisal campaign (python-docx): the decision recognising the results
(quyết định công nhận kết quả xếp loại) and the summary report (báo cáo tổng hợp). Built from data
the views read through the scoped selectors; no numbering series (the office numbers the decision)."""

from dangbo.appraisal import rules
from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes

ORDER = tuple(reversed(rules.RANKED_GRADES))  # excellent first


def _heading(doc, campaign, kind: str, subject: str, symbol: str) -> None:
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, campaign.organization.name.upper(), bold=True)
    centered(doc, f"Số     -{symbol}", size=12)
    centered(doc, kind, bold=True, size=15)
    centered(doc, subject, bold=True)
    centered(doc, "-----")


def _pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def decision_docx(campaign, *, members: list, orgs: list) -> bytes:
    """The decision recognising the year's results: Điều 1 the members by grade (name, cell), Điều 2
    the organisations by grade; only decided grades. `members`: decided Reviews; `orgs`: decided
    OrgReviews."""
    doc = new_document()
    _heading(doc, campaign, "QUYẾT ĐỊNH",
             f"Công nhận kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {campaign.year}", "QĐ/ĐU")
    doc.add_paragraph(f"Căn cứ Quy định {campaign.regulation} và hướng dẫn thực hiện; xét đề nghị của các tổ chức "
                      "đảng và kết quả thẩm định,")
    centered(doc, "QUYẾT ĐỊNH", bold=True)
    p = doc.add_paragraph()
    p.add_run("Điều 1. ").bold = True
    p.add_run(f"Công nhận kết quả xếp loại chất lượng đảng viên năm {campaign.year}:")
    for grade in (*ORDER, rules.NOT_REVIEWED):
        rows = [r for r in members if r.decided_grade == grade]
        doc.add_paragraph(f"{rules.GRADE_LABELS[grade]}: {len(rows)} đảng viên.").runs[0].bold = True
        if rows:
            grid_table(doc, ("STT", "Họ và tên", "Chi bộ"),
                   [(i, r.member.full_name, r.organization.name) for i, r in enumerate(rows, 1)])
    p = doc.add_paragraph()
    p.add_run("Điều 2. ").bold = True
    p.add_run(f"Công nhận kết quả xếp loại chất lượng tổ chức đảng năm {campaign.year}:")
    for grade in ORDER:
        rows = [o for o in orgs if o.decided_grade == grade]
        doc.add_paragraph(f"{rules.GRADE_LABELS[grade]}: {len(rows)} tổ chức.").runs[0].bold = True
        if rows:
            grid_table(doc, ("STT", "Tổ chức đảng"), [(i, o.organization.name) for i, o in enumerate(rows, 1)])
    p = doc.add_paragraph()
    p.add_run("Điều 3. ").bold = True
    p.add_run("Văn phòng Đảng ủy, các tổ chức đảng và đảng viên có tên tại Điều 1, Điều 2 thi hành Quyết định này.")
    centered(doc, "T/M BAN THƯỜNG VỤ", bold=True)
    return to_bytes(doc)


def report_docx(campaign, *, tables: list[dict], totals: dict, overrides: int, pending: int) -> bytes:
    """The summary report: one row per grassroots organisation — members reviewed, count and % per
    grade, the organisation's own grade — then the committee's totals (selectors.org_tables)."""
    doc = new_document()
    _heading(doc, campaign, "BÁO CÁO",
             f"Tổng hợp kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {campaign.year}", "BC/ĐU")
    doc.add_paragraph(f"Quy định áp dụng: {campaign.regulation}. Ngày đánh giá {campaign.review_date:%d/%m/%Y}.")
    doc.add_paragraph("1. Kết quả xếp loại đảng viên theo tổ chức cơ sở đảng (số lượng, tỷ lệ % trên số đảng viên "
                      "được đánh giá, xếp loại):").runs[0].bold = True
    header = ("Tổ chức đảng", "Được xếp loại", *[rules.GRADE_LABELS[g] for g in ORDER],
              rules.GRADE_LABELS[rules.NOT_REVIEWED], "Chưa quyết định", "Xếp loại tổ chức")
    rows = []
    for t in tables:
        c = t["counts"]
        rows.append((t["org"].name, t["reviewed"], *[f"{c[g]['count']} ({_pct(c[g]['pct'])}%)" for g in ORDER],
                     c[rules.NOT_REVIEWED]["count"], t["undecided"], t["org_review"].get_decided_grade_display() or "—"))
    c = totals["counts"]
    rows.append(("Tổng cộng", totals["reviewed"], *[f"{c[g]['count']} ({_pct(c[g]['pct'])}%)" for g in ORDER],
                 c[rules.NOT_REVIEWED]["count"], totals["undecided"], ""))
    grid_table(doc, header, rows)
    doc.add_paragraph("2. Kết quả xếp loại tổ chức cơ sở đảng:").runs[0].bold = True
    org_counts = rules.grade_counts([t["org_review"].decided_grade for t in tables if t["org_review"].decided_grade])
    grid_table(doc, ("Mức xếp loại", "Số tổ chức", "Tỷ lệ (%)"),
           [(rules.GRADE_LABELS[g], org_counts[g]["count"], _pct(org_counts[g]["pct"])) for g in ORDER])
    doc.add_paragraph(f"Số đảng viên được cấp có thẩm quyền xếp loại khác với đề xuất (có ghi rõ lý do): {overrides}. "
                      f"Số phiếu chưa có quyết định: {pending}.")
    centered(doc, "T/M BAN THƯỜNG VỤ", bold=True)
    return to_bytes(doc)
