"""The few python-docx pieces every Word document of dangbo shares (congress credentials report,
ballot paper and counting minutes, appraisal decision and report): the house style (Times New Roman
13 pt, as party documents are typed), a centred line, a ruled table, and the bytes to send.

Every text written into a run goes through `xml_safe` (`core.textcheck`): python-docx refuses
control characters with a ValueError, and one such character stored before the input checks existed
(or by a path that skips them) must not make a committee's documents fail. python-docx has no hook
for this, so `_sanitising_runs` wraps the one function all its text paths (`add_run`,
`add_paragraph`, `cell.text`, headings) go through; written by hand because no library does it."""

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.text.run import _RunContentAppender
from docx.shared import Pt

from dangbo.core.textcheck import xml_safe as text


def _sanitising_runs() -> None:
    original = _RunContentAppender.append_to_run_from_text.__func__
    if getattr(original, "dangbo_safe", False):
        return

    def append_to_run_from_text(cls, r, value):
        return original(cls, r, text(value))

    append_to_run_from_text.dangbo_safe = True
    _RunContentAppender.append_to_run_from_text = classmethod(append_to_run_from_text)


_sanitising_runs()


def new_document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    return doc


def centered(doc, value: str, *, bold: bool = False, italic: bool = False, size: int | None = None):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text(value))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return p


def grid_table(doc, header, rows=()):
    """A ruled table with a header row and one row per item of `rows` (cells written with str())."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = text(value)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = text(value)
    return table


def to_bytes(doc) -> bytes:
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()
