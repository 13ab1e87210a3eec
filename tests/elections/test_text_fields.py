"""Every text field of the election services goes through `core.textcheck` (item 9): candidate
names, a teller's note, the committee's reasons, the complaints — control, zero-width and bidi
characters refused naming the field (and the list's line), nothing written."""

import pytest

from dangbo.core.errors import InvalidInput
from dangbo.elections import services
from dangbo.elections.models import Ballot, BallotEntry, Candidate, Election
from tests.elections.conftest import NAMES, make_round, tellers

BAD = ["Ứng Viên\x00", "Ứng\u200b Viên", "Ứng Viên \u202eNU", "Ứng\x1fViên", "Ứng\x0bViên"]


@pytest.mark.parametrize("bad", BAD)
def test_candidate_names(hall, bad):
    with pytest.raises(InvalidInput, match="Danh sách bầu cử, dòng 2: Trường «Họ và tên» chứa ký tự") as exc:
        services.election_create(actor=None, congress=hall.congress, body="executive_committee", seats=1,
                                 candidates=["Ứng Viên Một", bad])
    assert exc.value.field == "candidates" and not Election.objects.exists()
    e = services.election_create(actor=None, congress=hall.congress, body="executive_committee", seats=1,
                                 candidates=NAMES[:2])
    with pytest.raises(InvalidInput, match="dòng 1"):
        services.candidates_set(actor=None, election=e, candidates=[bad, "Ứng Viên Hai"])
    assert list(Candidate.objects.filter(election=e).values_list("full_name", flat=True)) == NAMES[:2]


def test_candidate_name_too_long_and_web_lines(hall):
    with pytest.raises(InvalidInput, match="dài 256 ký tự, tối đa 255"):
        services.election_create(actor=None, congress=hall.congress, body="secretary", seats=1,
                                 candidates=["x" * 256])
    from django.test import Client

    office = Client()
    office.force_login(hall.world.office)
    # U+001E would be a line break for str.splitlines(): the page keeps it in the name, the service refuses it
    office.post(f"/dai-hoi/{hall.congress.id}/bau-cu/", {"body": "secretary", "seats": "1",
                                                        "candidates": "Ứng Viên\x1eMột\r\nỨng Viên Hai"})
    assert not Election.objects.exists()


@pytest.mark.parametrize("bad", BAD)
def test_note_reasons_and_complaints(hall, bad):
    e = make_round(hall.congress, NAMES, 3)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=7)
    t1, t2, head = tellers(hall.congress)
    with pytest.raises(InvalidInput, match="«Ghi chú»") as exc:
        services.ballot_enter(actor=t1, election=e, teller=1, ballot_no=1, kept=[1], note=bad)
    assert exc.value.field == "note" and not BallotEntry.objects.exists()
    services.ballot_enter(actor=t1, election=e, teller=1, ballot_no=1, kept=[1])
    b = services.ballot_enter(actor=t2, election=e, teller=2, ballot_no=1, kept=[2], contested=True)
    with pytest.raises(InvalidInput, match="«Lý do»") as exc:
        services.ballot_resolve(actor=head, ballot=b, kept=[1], reason=bad)
    assert exc.value.field == "decision_reason"
    assert Ballot.objects.get(pk=b.pk).decision == ""
    b = services.ballot_resolve(actor=head, ballot=b, kept=[1], reason="Đọc lại\nphiếu giấy", contested=True)
    with pytest.raises(InvalidInput, match="«Lý do»"):
        services.ballot_rule(actor=head, ballot=b, valid=True, reason=bad)
    assert Ballot.objects.get(pk=b.pk).status == "contested"
    with pytest.raises(InvalidInput, match="«Khiếu nại, kiến nghị»") as exc:
        services.election_complaints_set(actor=None, election=e, text=bad)
    assert exc.value.field == "complaints"
    assert Election.objects.get(pk=e.pk).complaints == ""
    services.election_complaints_set(actor=None, election=e, text="Một kiến nghị.\r\nHai kiến nghị.")  # lines kept
