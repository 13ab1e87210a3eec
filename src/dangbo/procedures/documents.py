"""Word documents of the procedures (python-docx through core.wordfile): the admission file's summary
with each step and its form (Mẫu 1–4-KNĐ named as in 12-HD/BTCTW), the badge proposal list."""

from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes
from dangbo.procedures.models import STEPS


def admission_file_docx(a, *, ceremony_deadline=None) -> bytes:
    """ADM-7: the steps of one applicant's file, dated, with the forms they rest on."""
    doc = new_document()
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, a.organization.name.upper(), bold=True)
    centered(doc, "HỒ SƠ KẾT NẠP ĐẢNG VIÊN", bold=True, size=15)
    centered(doc, f"Người xin vào Đảng: {a.full_name}, sinh ngày {a.birth_date:%d/%m/%Y}")
    rows = []
    for i, (_key, label, column) in enumerate(STEPS, start=1):
        on = getattr(a, column)
        rows.append([str(i), label, on.strftime("%d/%m/%Y") if on else "chưa thực hiện"])
    grid_table(doc, ["TT", "Bước, tài liệu", "Ngày"], rows)
    if a.introducers:
        doc.add_paragraph("Người giới thiệu: " + "; ".join(
            i["name"] + (f" ({i['months']} tháng công tác cùng)" if i.get("months") is not None else "")
            for i in a.introducers) + ".")
    if a.cell_votes_for is not None:
        doc.add_paragraph(f"Chi bộ: {a.cell_votes_for}/{a.cell_official_count} đảng viên chính thức tán thành.")
    if a.committee_votes_for is not None:
        doc.add_paragraph(f"Đảng ủy cơ sở: {a.committee_votes_for}/{a.committee_member_count} cấp ủy viên tán thành.")
    if a.decision_number:
        doc.add_paragraph(f"Quyết định kết nạp số {a.decision_number} ngày {a.decision_date:%d/%m/%Y}.")
    if ceremony_deadline and a.ceremony_date is None:
        doc.add_paragraph(f"Hạn tổ chức lễ kết nạp: {ceremony_deadline:%d/%m/%Y} (30 ngày làm việc).")
    return to_bytes(doc)


def badge_list_docx(rows, *, occasion) -> bytes:
    """MEM-3: the members proposed for a badge on the occasion, by tier."""
    doc = new_document()
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, "DANH SÁCH ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG", bold=True, size=15)
    centered(doc, f"Đợt {occasion:%d/%m/%Y}")
    grid_table(doc, ["TT", "Họ và tên", "Chi bộ", "Ngày vào Đảng", "Huy hiệu", "Ghi chú"], [
        [str(i), r.member.full_name, r.member.organization.name, f"{r.member.admission_date:%d/%m/%Y}",
         f"{r.tier} năm", _badge_note(r)]
        for i, r in enumerate(rows, start=1)])
    return to_bytes(doc)


def transfer_letter_docx(letter) -> bytes:
    """MEM-5: the numbered introduction letter of a transfer (giấy giới thiệu sinh hoạt đảng), with
    the deadlines of 294-QĐ/TW §6.3 in working days."""
    m = letter.member
    doc = new_document()
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, letter.from_org.name.upper(), bold=True)
    centered(doc, f"Số {letter.label}")
    centered(doc, "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG", bold=True, size=15)
    centered(doc, letter.get_kind_display())
    doc.add_paragraph(f"Kính gửi: {letter.to_org.name}.")
    born = f", sinh ngày {m.birth_date:%d/%m/%Y}" if m.birth_date else ""
    admitted = f"; vào Đảng ngày {m.admission_date:%d/%m/%Y}" if m.admission_date else ""
    doc.add_paragraph(f"Giới thiệu đồng chí {m.full_name}{born}{admitted}; "
                      f"đang sinh hoạt tại {letter.from_org.name}; đến sinh hoạt đảng tại {letter.to_org.name}.")
    if letter.kind == "temporary" and letter.end_date:
        doc.add_paragraph(f"Thời hạn sinh hoạt tạm thời: từ {letter.letter_date:%d/%m/%Y} đến "
                          f"{letter.end_date:%d/%m/%Y}" + (" (đi học tập trung trong nước)." if letter.study else "."))
    doc.add_paragraph(f"Đảng viên nộp giấy giới thiệu cho chi bộ nơi đến chậm nhất ngày "
                      f"{letter.present_by:%d/%m/%Y} (30 ngày làm việc); việc chuyển sinh hoạt hoàn thành "
                      f"chậm nhất ngày {letter.complete_by:%d/%m/%Y} (60 ngày làm việc).")
    doc.add_paragraph(f"Ngày {letter.letter_date:%d/%m/%Y}.")
    return to_bytes(doc)


def _badge_note(r) -> str:
    notes = []
    if r.held_until:
        notes.append(f"Lùi xét do kỷ luật đến {r.held_until:%d/%m/%Y}")
    if r.early:
        notes.append(f"Xét sớm {r.early[0]} tháng do bệnh hiểm nghèo (chi bộ đề nghị: {r.early[1]})")
    return "; ".join(notes)


# ADM-7: the four forms of the admission file (Hướng dẫn 12-HD/BTCTW), each its own Word file, filled
# from the file's dated steps; what the platform does not hold is left as a dotted line to write by hand.
BLANK = "…………………………"
KND_FORMS = {1: "Đơn xin vào Đảng", 2: "Lý lịch của người xin vào Đảng", 3: "Giấy giới thiệu người vào Đảng",
             4: "Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng"}


def _day(d) -> str:
    return d.strftime("%d/%m/%Y") if d else BLANK


def _heading(doc, a, number: int) -> None:
    centered(doc, f"Mẫu {number}-KNĐ", italic=True)
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, KND_FORMS[number].upper(), bold=True, size=15)


def admission_form_docx(a, number: int) -> bytes:
    """Mẫu `number`-KNĐ (1–4) of applicant `a` as its own Word file."""
    doc = new_document()
    _heading(doc, a, number)
    sex = "Nam" if a.sex == "M" else "Nữ"
    if number == 1:
        doc.add_paragraph(f"Kính gửi: Chi bộ {a.organization.name}.")
        doc.add_paragraph(f"Tôi là: {a.full_name}. Giới tính: {sex}. Sinh ngày {_day(a.birth_date)}.")
        doc.add_paragraph(f"Đã học lớp bồi dưỡng nhận thức về Đảng; giấy chứng nhận số {a.course_number or BLANK}, "
                          f"cấp ngày {_day(a.course_date)}.")
        doc.add_paragraph("Sau khi được học tập, nghiên cứu Điều lệ Đảng Cộng sản Việt Nam, tôi tự nguyện làm đơn "
                          "này xin được vào Đảng. Nếu được đứng trong hàng ngũ của Đảng, tôi xin hứa tuyệt đối "
                          "trung thành với mục đích lý tưởng của Đảng, thực hiện đúng Cương lĩnh chính trị, Điều lệ "
                          "Đảng, làm tròn nhiệm vụ đảng viên.")
        doc.add_paragraph(f"Ngày {_day(a.application_date)}. Người làm đơn: {a.full_name}.")
    elif number == 2:
        grid_table(doc, ["Mục", "Nội dung"], [
            ["Họ và tên đang dùng", a.full_name], ["Giới tính", sex], ["Sinh ngày", _day(a.birth_date)],
            ["Nơi sinh hoạt", a.organization.name], ["Ngày khai lý lịch", _day(a.background_date)],
            ["Ngày thẩm tra lý lịch xong", _day(a.verified_date)],
            ["Quê quán, nơi ở, dân tộc, tôn giáo, trình độ, nghề nghiệp", BLANK],
            ["Lịch sử bản thân, những công tác đã qua", BLANK], ["Hoàn cảnh gia đình", BLANK]])
        doc.add_paragraph("Tôi cam đoan đã khai đầy đủ, rõ ràng và chịu trách nhiệm về những nội dung đã khai.")
    elif number == 3:
        members = [i for i in (a.introducers or []) if i.get("kind") == "member"] or [{"name": BLANK}]
        for i, who in enumerate(members, start=1):
            if i > 1:
                doc.add_page_break()
                _heading(doc, a, number)
            doc.add_paragraph(f"Kính gửi: Chi bộ {a.organization.name}.")
            months = who.get("months")
            doc.add_paragraph(f"Tôi là: {who['name']}, đảng viên chính thức; "
                              f"đã công tác, học tập, sinh hoạt cùng {a.full_name} "
                              f"{f'{months} tháng' if months is not None else BLANK}.")
            doc.add_paragraph(f"Tôi giới thiệu {a.full_name}, sinh ngày {_day(a.birth_date)}, vào Đảng Cộng sản "
                              "Việt Nam và xin chịu trách nhiệm trước chi bộ về sự giới thiệu của mình.")
            doc.add_paragraph(f"Ngày {_day(a.introduced_date)}. Người giới thiệu: {who['name']}.")
    elif number == 4:
        unions = [i for i in (a.introducers or []) if i.get("kind") in ("youth_union", "trade_union")]
        by = unions[0]["name"] if unions else "Ban Chấp hành Đoàn cơ sở"
        doc.add_paragraph(f"{by} giới thiệu {a.full_name}, sinh ngày {_day(a.birth_date)}, sinh hoạt tại "
                          f"{a.organization.name}, vào Đảng Cộng sản Việt Nam.")
        if not unions:
            doc.add_paragraph("Hồ sơ này không có tổ chức Đoàn hoặc Công đoàn giới thiệu (hai đảng viên chính thức "
                              "giới thiệu, Mẫu 3-KNĐ).")
        doc.add_paragraph(f"Số đoàn viên được triệu tập: {BLANK}; có mặt: {BLANK}; tán thành: {BLANK}.")
        doc.add_paragraph(f"Ngày {_day(a.introduced_date)}. T/M Ban Chấp hành.")
    else:
        raise ValueError(number)
    return to_bytes(doc)
