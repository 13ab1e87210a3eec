"""CON-5 by what is elected, through the services and the pages: a committee list without surplus is
refused (it used to become an agree / disagree ballot silently); secretary and single-seat lists take
the agree / disagree form; other lists are left to the congress."""

import pytest
from django.test import Client

from dangbo.core.errors import InvalidInput
from dangbo.elections import services
from dangbo.elections.models import AGREE_FORM, DRAFT, STRIKE, Election

NAMES = ["Ứng Viên Một", "Ứng Viên Hai", "Ứng Viên Ba", "Ứng Viên Bốn"]


def _draft(hall, body, names, seats):
    e = services.election_create(actor=None, congress=hall.congress, body=body, seats=seats, candidates=names)
    return services.election_base_set(actor=None, election=e, excluded={})


@pytest.mark.parametrize("body", ["executive_committee", "standing_committee"])
def test_committee_list_without_surplus_refused(hall, body):
    e = _draft(hall, body, NAMES[:3], 3)
    with pytest.raises(InvalidInput, match="phải có số dư") as exc:
        services.election_open(actor=None, election=e)
    assert exc.value.field == "candidates"
    e.refresh_from_db()
    assert (e.status, e.form) == (DRAFT, STRIKE) and not e.congress.documents.exists()
    services.candidates_set(actor=None, election=e, candidates=NAMES)
    assert services.election_open(actor=None, election=e).form == STRIKE


def test_single_seat_and_secretary_take_agree_form(hall):
    for body in ("executive_committee", "secretary", "deputy_secretary"):
        assert services.election_open(actor=None, election=_draft(hall, body, NAMES[:1], 1)).form == AGREE_FORM
    deputies = services.election_open(actor=None, election=_draft(hall, "deputy_secretary", NAMES[:2], 2))
    assert deputies.form == AGREE_FORM


def test_other_lists_left_to_the_congress(hall):
    e = services.election_open(actor=None, election=_draft(hall, "inspection_commission", NAMES[:2], 2))
    assert e.form == AGREE_FORM
    e = services.election_open(actor=None, election=_draft(hall, "upper_delegates", NAMES, 1))
    assert e.form == STRIKE  # surplus 3 on one seat: the congress decided (not capped by default)


def test_page_says_why_and_open_is_refused(hall):
    office = Client()
    office.force_login(hall.world.office)
    r = office.post(f"/dai-hoi/{hall.congress.id}/bau-cu/", {"body": "executive_committee", "seats": "3",
                                                             "candidates": "\n".join(NAMES[:3])})
    e = Election.objects.get()
    page = office.get(r["Location"]).content.decode()
    assert "Danh sách bầu Ban Chấp hành (cấp ủy) phải có số dư: 3 người cho 3 chỗ" in page
    assert "Mẫu phiếu: chưa xác định" in page and "Gạch tên" not in page
    office.post(f"/bau-cu/{e.id}/co-so/", {"absent_with_reason": "0"})
    page = office.post(f"/bau-cu/{e.id}/bat-dau/", follow=True).content.decode()
    assert "phải có số dư" in page
    e.refresh_from_db()
    assert (e.status, e.form) == (DRAFT, STRIKE)
    sec = services.election_create(actor=None, congress=hall.congress, body="secretary", seats=1,
                                   candidates=NAMES[:1])
    assert "Đồng ý / không đồng ý (không có số dư)" in office.get(f"/bau-cu/{sec.id}/").content.decode()
