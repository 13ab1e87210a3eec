"""Word documents of a congress (python-docx). Each gets its number from the congress's one series
(CON-10, `services.document_issue`)."""

from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes


def credentials_report_docx(report: dict, *, number_label: str | None) -> bytes:
    """The credentials committee's report (CON-3) as a .docx: status counts, refusals with their
    grounds, and each breakdown as a table (label, number, % of the delegates accepted). Without a
    `number_label` (no CON-10 number issued yet) it is the draft: «DỰ THẢO», «Số …(chưa cấp số)»."""
    c = report["c"]
    s = report["status"]
    doc = new_document()
    centered(doc, c.name.upper(), bold=True)
    centered(doc, "BAN THẨM TRA TƯ CÁCH ĐẠI BIỂU")
    if number_label:
        centered(doc, f"Số {number_label}-BC/ĐH", size=12)
    else:
        centered(doc, "DỰ THẢO", bold=True)
        centered(doc, "Số …-BC/ĐH (chưa cấp số)", size=12)
    centered(doc, "BÁO CÁO", bold=True, size=15)
    centered(doc, "Thẩm tra tư cách đại biểu", bold=True)
    doc.add_paragraph(
        f"Tổng số đại biểu được triệu tập: {s['total']} ({s['official']} chính thức, {s['alternate']} dự khuyết). "
        f"Ban Thẩm tra tư cách đại biểu đã thẩm tra {report['examined']} đại biểu: công nhận {s['accepted']}, "
        f"không công nhận {s['refused']}; chưa thẩm tra {s['pending']}. Số đại biểu chính thức vắng mặt "
        f"được đại biểu dự khuyết thay thế: {s['replaced']}.")
    if report["refused"]:
        doc.add_paragraph("Đại biểu không được công nhận tư cách (Điều lệ Đảng, Điều 11.5):")
        for d in report["refused"]:
            doc.add_paragraph(f"{d.member.full_name} (đoàn {d.from_org.name}): "
                              f"{report['grounds'].get(d.credential_ground, d.credential_ground)}",
                              style="List Bullet")
    doc.add_paragraph(f"Cơ cấu các đại biểu được công nhận tư cách ({s['accepted']} người), tính đến ngày "
                      f"{report['on']:%d/%m/%Y}:")
    for title, rows in report["sections"]:
        doc.add_paragraph().add_run(title).bold = True
        grid_table(doc, ("Nội dung", "Số đại biểu", "Tỷ lệ (%)"),
                   [(label, n, f"{pct:.2f}".replace(".", ",")) for label, n, pct in rows])
    for key, title, unit in (("age", "Tuổi đời", "tuổi"), ("party_age", "Tuổi đảng", "năm")):
        st = report[key]
        if st:
            doc.add_paragraph(f"{title}: bình quân {str(st['average']).replace('.', ',')} {unit}; "
                              f"cao nhất {st['max']}, thấp nhất {st['min']}.")
        else:
            doc.add_paragraph(f"{title}: chưa có dữ liệu.")
    doc.add_paragraph("Ban Thẩm tra tư cách đại biểu đề nghị Đại hội biểu quyết thông qua tư cách các đại biểu "
                      "được công nhận.")
    centered(doc, "T/M BAN THẨM TRA TƯ CÁCH ĐẠI BIỂU", bold=True)
    centered(doc, "TRƯỞNG BAN")
    return to_bytes(doc)
