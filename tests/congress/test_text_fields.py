"""Every text field of the congress services goes through `core.textcheck` (item 9): control,
zero-width and bidirectional characters and over-long values are refused with a Vietnamese message
naming the field, and nothing is written."""

from datetime import date

import pytest

from dangbo.congress import services
from dangbo.congress.models import AgendaItem, Congress, CongressDocument, CongressSession, Delegate
from dangbo.core.errors import InvalidInput

BAD = ["Đại hội\x00", "Đại\u200b hội", "Đại hội \u202eIH", "Đại\x1fhội", "Đại\x85hội"]


def _congress(world):
    return services.congress_create(actor=None, organization=world.a, kind="members", term="2025–2030",
                                    name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 7, 28))


@pytest.mark.parametrize("bad", BAD)
def test_congress_name_and_term(world, bad):
    with pytest.raises(InvalidInput, match="«Tên đại hội» chứa ký tự không được phép") as exc:
        services.congress_create(actor=None, organization=world.a, kind="members", term="2025–2030", name=bad,
                                 start_date=date(2025, 7, 28))
    assert exc.value.field == "name"
    assert not Congress.objects.exists()
    c = _congress(world)
    with pytest.raises(InvalidInput) as exc:
        services.congress_update(actor=None, congress=c, kind="members", term=bad[:20], name=bad,
                                 start_date=c.start_date)
    assert set(exc.value.errors) == {"term", "name"}  # every bad field at once
    c.refresh_from_db()
    assert (c.term, c.name) == ("2025–2030", "Đại hội Đảng bộ cơ sở A")


def test_over_long_refused(world):
    with pytest.raises(InvalidInput, match="«Nhiệm kỳ» dài 21 ký tự, tối đa 20"):
        services.congress_create(actor=None, organization=world.a, kind="members", term="2" * 21, name="x",
                                 start_date=date(2025, 7, 28))
    c = _congress(world)
    with pytest.raises(InvalidInput, match="«Tên phiên» dài 201 ký tự"):
        services.session_add(actor=None, congress=c, title="x" * 201)
    assert not CongressSession.objects.exists()


@pytest.mark.parametrize("bad", BAD)
def test_sessions_agenda_and_documents(world, bad):
    c = _congress(world)
    with pytest.raises(InvalidInput, match="«Tên phiên»") as exc:
        services.session_add(actor=None, congress=c, title=bad)
    assert exc.value.field == "title" and not CongressSession.objects.exists()
    s = services.session_add(actor=None, congress=c, title="Phiên trù bị")
    with pytest.raises(InvalidInput, match="«Nội dung»"):
        services.agenda_item_add(actor=None, session=s, title=bad)
    assert not AgendaItem.objects.exists()
    with pytest.raises(InvalidInput, match="«Trích yếu»"):
        services.document_issue(actor=None, congress=c, kind="report", title=bad)
    assert not CongressDocument.objects.exists()


@pytest.mark.parametrize("bad", BAD)
def test_credential_note(world, bad):
    c = _congress(world)
    d = services.delegate_add(actor=None, congress=c, member=world.hung)
    with pytest.raises(InvalidInput, match="«Ghi chú thẩm tra»") as exc:
        services.credential_decide(actor=None, congress=c, delegate=d, accept=True, note=bad)
    assert exc.value.field == "credential_note"
    assert Delegate.objects.get(pk=d.pk).credential == "pending"
    with pytest.raises(InvalidInput, match="dài 256 ký tự"):  # used to be cut to 255 silently
        services.credential_decide(actor=None, congress=c, delegate=d, accept=True, note="x" * 256)
