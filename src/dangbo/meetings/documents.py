"""The minutes of a meeting as Word in the house style (MTG-7: date, place, month; members total,
present, absent with and without reason, exempt; duration; chair; secretary; proceedings; the
resolution and its vote; the self-assessed quality — MTG-5)."""

from dangbo.core.dates import vn_date
from dangbo.core.numbers import vn_percent
from dangbo.core.wordfile import centered, grid_table, new_document, to_bytes
from dangbo.meetings import rules


def minutes_docx(meeting, *, rows: list, quality) -> bytes:
    doc = new_document()
    org = meeting.organization
    centered(doc, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True)
    centered(doc, org.name.upper(), bold=True)
    centered(doc, "BIÊN BẢN", bold=True, size=15)
    centered(doc, f"{meeting.title} tháng {meeting.held_on.month:02d}/{meeting.held_on.year}", bold=True)
    centered(doc, "-----")
    doc.add_paragraph(f"Thời gian: ngày {vn_date(meeting.held_on)}. Địa điểm: {meeting.place or '…'}.")
    if meeting.kind == rules.Kind.THEMATIC and meeting.theme:
        doc.add_paragraph(f"Chuyên đề: {rules.THEMES.get(meeting.theme, '')}.")
    if meeting.topic:
        doc.add_paragraph(f"Nội dung chính: {meeting.topic}.")
    counts = {s: sum(1 for a in rows if a.status == s) for s in rules.STATUSES}
    doc.add_paragraph(
        f"Tổng số đảng viên: {len(rows)}; có mặt: {counts['present']}; vắng có lý do: {counts['excused']}; "
        f"vắng không lý do: {counts['absent']}; miễn sinh hoạt: {counts['exempt']}; sinh hoạt tạm thời nơi khác: "
        f"{counts['away']}.")
    doc.add_paragraph(f"Chủ trì: {meeting.chair or '…'}. Thư ký: {meeting.secretary or '…'}. "
                      f"Thời gian sinh hoạt: {meeting.minutes or '…'} phút.")
    absent = [a for a in rows if a.status in (rules.Attendance.EXCUSED, rules.Attendance.ABSENT)]
    if absent:
        doc.add_paragraph("Đảng viên vắng:").runs[0].bold = True
        grid_table(doc, ("STT", "Họ và tên", "Tình trạng", "Lý do"),
                   [(i, a.member.full_name, rules.STATUS_LABELS[a.status], a.reason) for i, a in enumerate(absent, 1)])
    if meeting.proceedings:
        doc.add_paragraph("Diễn biến:").runs[0].bold = True
        for line in meeting.proceedings.splitlines():
            doc.add_paragraph(line)
    speakers = [s.strip() for s in meeting.speakers.splitlines() if s.strip()]
    if speakers:
        doc.add_paragraph(f"Ý kiến phát biểu ({len(speakers)}): " + "; ".join(speakers) + ".")
    doc.add_paragraph("Nghị quyết:").runs[0].bold = True
    for line in (meeting.resolution or "…").splitlines():
        doc.add_paragraph(line)
    if meeting.votes_for is not None:
        result = "được thông qua" if meeting.resolution_passed else "không được thông qua"
        doc.add_paragraph(f"Biểu quyết: {meeting.votes_for}/{meeting.vote_base} đảng viên chính thức tán thành, "
                          f"{meeting.votes_against or 0} không tán thành; nghị quyết {result} (Điều lệ Đảng, Điều 9.5).")
    if quality is not None:
        doc.add_paragraph("Tự đánh giá chất lượng buổi sinh hoạt:").runs[0].bold = True
        grid_table(doc, ("Tiêu chí", "Kết quả"),
                   [(c.label + (f" ({c.detail})" if c.detail else ""),
                     {True: "Đạt", False: "Chưa đạt", None: "Chưa xét"}[c.passed]) for c in quality.criteria])
        pct = "—" if quality.attendance_pct is None else vn_percent(quality.attendance_pct)
        doc.add_paragraph(f"Tỷ lệ dự họp: {pct}. Kết luận: {'đạt' if quality.passed else 'chưa đạt'} các tiêu chí.")
    p = doc.add_paragraph("THƯ KÝ" + " " * 40 + "CHỦ TRÌ")
    p.runs[0].bold = True
    return to_bytes(doc)
