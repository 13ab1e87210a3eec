"""A name stored with a control character (written with `.update()`, bypassing the services — e.g.
before the input checks existed) must not break the Word documents: the ballot paper, the counting
minutes and the credentials report still come out, with the character left out (`core.wordfile`).
PostgreSQL refuses NUL in a text column, so there the character is U+0001 (python-docx refuses both)."""

import io

from django.db import connection
from docx import Document

from dangbo.elections.models import Candidate
from dangbo.members.models import Member
from tests.elections.test_views import client_for, docx_text


def test_documents_survive_a_stored_control_character(hall, closed):
    bad = "\x00" if connection.vendor == "sqlite" else "\x01"
    Candidate.objects.filter(election=closed, no=1).update(full_name=f"Ứng Viên{bad} Một")
    teller = hall.delegates[2].member  # on the counting committee: named in the minutes
    Member.objects.filter(pk=teller.pk).update(full_name=f"Đảng Viên{bad} Thử A")
    office = client_for(hall.world.office)
    for url, expected in ((f"/bau-cu/{closed.id}/phieu-bau.docx", "Ứng Viên Một"),
                          (f"/bau-cu/{closed.id}/bien-ban.docx", "Đảng Viên Thử A"),
                          (f"/dai-hoi/{hall.congress.id}/tham-tra/bao-cao.docx", "BÁO CÁO")):
        r = office.get(url)
        assert r.status_code == 200, url
        text = docx_text(r.content)
        assert expected in text and bad not in text, url
    # the credentials report lists a refused delegate by name: that path too
    from dangbo.congress.services import credential_decide

    credential_decide(actor=None, congress=hall.congress, delegate=hall.delegates[2], accept=False,
                      ground="prosecuted")
    r = office.get(f"/dai-hoi/{hall.congress.id}/tham-tra/bao-cao.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert r.status_code == 200 and "Đảng Viên Thử A" in text and "Đang bị khởi tố" in text
