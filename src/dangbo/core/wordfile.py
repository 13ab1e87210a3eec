"""The few python-docx pieces every Word document of dangbo shares (congress credentials report,
ballot paper and counting minutes, appraisal decision and report): the house style (Times New Roman
13 pt, as party documents are typed), a centred line, a ruled table, and the bytes to send.

Every text written into a run goes through `xml_safe` (`core.textcheck`): python-docx refuses
control characters with a ValueError, and one such character stored before the input checks existed
(or by a path that skips them) must not make a committee's documents fail. python-docx has no hook
for this, so `_sanitising_runs` wraps the one function all its text paths (`add_run`,
`add_paragraph`, `cell.text`, headings) go through; written by hand because no library does it."""

from copy import deepcopy
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
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
    """A ruled table with a header row and one row per item of `rows` (cells written with str()).

    python-docx's `add_row` + `cell.text` cost about 2 ms a row (a decision listing 2,700 members
    took 1.8 s), so body rows are copies of one prepared row whose `<w:t>` texts are replaced — the
    same XML python-docx writes. A value with a tab or line break takes python-docx's own path (it
    turns them into `<w:tab/>` / `<w:br/>`)."""
    table = doc.add_table(rows=2, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = text(value)
    template = table.rows[1]._tr
    for cell in table.rows[1].cells:
        cell.text = "x"
    tbl = template.getparent()
    tbl.remove(template)
    for row in rows:
        values = [text(v) for v in row]
        if len(values) != len(header):
            raise ValueError(f"row has {len(values)} cells, the table {len(header)}")
        if any(("\t" in v or "\n" in v or "\r" in v) for v in values):
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
            continue
        tr = deepcopy(template)
        for t, value in zip(tr.iter(qn("w:t")), values, strict=True):
            t.text = value
            t.set(qn("xml:space"), "preserve")
        tbl.append(tr)
    return table


def to_bytes(doc) -> bytes:
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()
