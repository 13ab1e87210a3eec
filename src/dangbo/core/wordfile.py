"""The few python-docx pieces every Word document of dangbo shares (congress credentials report,
ballot paper and counting minutes, appraisal decision and report): the house style (Times New Roman
13 pt, as party documents are typed), a centred line, a ruled table, and the bytes to send."""

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


def new_document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    return doc


def centered(doc, text: str, *, bold: bool = False, italic: bool = False, size: int | None = None):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return p


def grid_table(doc, header, rows=()):
    """A ruled table with a header row and one row per item of `rows` (cells written with str())."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
    return table


def to_bytes(doc) -> bytes:
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()
