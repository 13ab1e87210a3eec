"""Who may read ballots (CON-9): the two readings of a paper ballot come from two *different users*,
each a member of the congress's approved counting committee logged in as themselves; the committee's
desk (re-reading a mismatch, ruling on a contested ballot) likewise. Office staff supervise read-only.
Enforced in `elections.services`; checked here through the services and through HTTP."""

import pytest
from django.test import Client

from dangbo.congress.services import body_vote_clear
from dangbo.core.errors import InvalidInput
from dangbo.elections import services
from dangbo.elections.models import MISMATCH, PENDING, Ballot, BallotEntry
from tests.elections.conftest import NAMES, make_round


@pytest.fixture
def counting(hall):
    e = make_round(hall.congress, NAMES, 3)
    return services.election_count_start(actor=None, election=e, issued=7, returned=7)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_one_account_cannot_enter_both_readings(hall, counting):
    t1 = hall.tellers[0]
    b = services.ballot_enter(actor=t1, election=counting, teller=1, ballot_no=1, kept=[1, 2, 3])
    assert b.status == PENDING
    with pytest.raises(InvalidInput, match="hai thành viên khác nhau") as exc:
        services.ballot_enter(actor=t1, election=counting, teller=2, ballot_no=1, kept=[1, 2, 3])
    assert exc.value.field == "teller"
    # nor the second reading of another ballot: one person keeps one desk per round
    with pytest.raises(InvalidInput, match="vị trí tổ viên 1"):
        services.ballot_enter(actor=t1, election=counting, teller=2, ballot_no=2, kept=[1, 2, 3])
    assert BallotEntry.objects.filter(ballot__election=counting).count() == 1
    assert list(Ballot.objects.filter(election=counting).values_list("ballot_no", "status")) == [(1, PENDING)]
    assert services.ballot_enter(actor=hall.tellers[1], election=counting, teller=2, ballot_no=1,
                                 kept=[1, 2, 3]).status == "accepted"


def test_only_the_approved_counting_committee_reads(hall, counting):
    lan = hall.world.member_user  # Lan, a delegate with her own login, not on the counting committee
    for who, match in ((None, "tài khoản gắn với hồ sơ"), (hall.world.office, "tài khoản gắn với hồ sơ"),
                       (lan, "không phải thành viên Ban Kiểm phiếu")):
        with pytest.raises(InvalidInput, match=match):
            services.ballot_enter(actor=who, election=counting, teller=1, ballot_no=1, kept=[1])
    body_vote_clear(actor=None, congress=hall.congress, kind="counting")
    with pytest.raises(InvalidInput, match="chưa được đại hội biểu quyết thông qua"):
        services.ballot_enter(actor=hall.tellers[0], election=counting, teller=1, ballot_no=1, kept=[1])
    assert not Ballot.objects.filter(election=counting).exists()


def test_committee_desk_only_by_its_members(hall, counting):
    services.ballot_enter(actor=hall.tellers[0], election=counting, teller=1, ballot_no=1, kept=[1, 2])
    b = services.ballot_enter(actor=hall.tellers[1], election=counting, teller=2, ballot_no=1, kept=[1, 3])
    assert b.status == MISMATCH
    with pytest.raises(InvalidInput, match="Ban Kiểm phiếu"):
        services.ballot_resolve(actor=hall.world.office, ballot=b, kept=[1, 2], reason="đọc lại")
    b.refresh_from_db()
    assert (b.status, b.kept, b.decision, b.seq) == (MISMATCH, [], "", None)
    b = services.ballot_resolve(actor=hall.tellers[2], ballot=b, kept=[1, 2], reason="đọc lại", contested=True)
    with pytest.raises(InvalidInput, match="Ban Kiểm phiếu"):
        services.ballot_rule(actor=None, ballot=b, valid=True, reason="hợp lệ")
    b.refresh_from_db()
    assert (b.status, b.decision) == ("contested", "resolved")
    assert services.ballot_rule(actor=hall.tellers[0], ballot=b, valid=True, reason="hợp lệ").status == "accepted"


def test_teller_desk_posts_by_the_wrong_user_refused_over_http(hall, counting):
    url = f"/bau-cu/{counting.id}/nhap-phieu-{{}}/"
    office, t1 = client_for(hall.world.office), client_for(hall.tellers[0])
    r = office.post(url.format(1), {"ballot_no": "1", "kept_text": "1 2 3"}, follow=True)
    assert r.status_code == 422 and "Chỉ thành viên Ban Kiểm phiếu" in r.content.decode()
    assert not Ballot.objects.filter(election=counting).exists()
    assert t1.post(url.format(1), {"ballot_no": "1", "kept_text": "1 2 3"}).status_code == 302
    r = t1.post(url.format(2), {"ballot_no": "1", "kept_text": "1 2 3"})
    assert r.status_code == 422 and "hai thành viên khác nhau của Ban Kiểm phiếu" in r.content.decode()
    assert BallotEntry.objects.filter(ballot__election=counting).count() == 1
    # a member who is not on the committee does not even see the desk
    lan = client_for(hall.world.member_user)
    assert lan.get(url.format(1)).status_code == 404
    assert lan.post(url.format(2), {"ballot_no": "1", "kept_text": "1 2 3"}).status_code == 404
    assert BallotEntry.objects.filter(ballot__election=counting).count() == 1


def test_desk_post_by_staff_refused_and_read_only_page(hall, counting):
    services.ballot_enter(actor=hall.tellers[0], election=counting, teller=1, ballot_no=1, kept=[1, 2])
    b = services.ballot_enter(actor=hall.tellers[1], election=counting, teller=2, ballot_no=1, kept=[1, 3])
    office = client_for(hall.world.office)
    desk = office.get(f"/bau-cu/{counting.id}/ban-kiem-phieu/").content.decode()
    assert "Phiếu số 1" in desk and 'name="reason"' not in desk and "chỉ xem" in desk
    r = office.post(f"/bau-cu/{counting.id}/ban-kiem-phieu/", {"ballot": b.id, "action": "resolve",
                                                               "kept": ["1", "2"], "reason": "đọc lại"}, follow=True)
    assert "Chỉ thành viên Ban Kiểm phiếu" in r.content.decode()
    b.refresh_from_db()
    assert b.status == MISMATCH and b.decision == ""
    head = client_for(hall.tellers[0])
    assert 'name="reason"' in head.get(f"/bau-cu/{counting.id}/ban-kiem-phieu/").content.decode()


def test_a_teller_finds_their_desks(hall, counting):
    page = client_for(hall.tellers[1]).get("/bau-cu/").content.decode()
    assert counting.title in page and f"/bau-cu/{counting.id}/nhap-phieu-2/" in page
    assert client_for(hall.tellers[1]).get(f"/bau-cu/{counting.id}/").status_code == 404  # not the round's page
    assert client_for(hall.world.member_user).get("/bau-cu/").status_code == 403
