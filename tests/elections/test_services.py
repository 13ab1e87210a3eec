"""Worked cases of the election services: list checks (CON-5), base (CON-7), double entry with a
mismatch and a contested ballot (CON-6, CON-9), the tally, a tie at the cut-off and its runoff (CON-8)."""

import pytest

from dangbo.audit.models import AuditEvent
from dangbo.congress.models import CongressDocument
from dangbo.core.errors import InvalidInput
from dangbo.elections import chain, services
from dangbo.elections.models import ACCEPTED, AGREE_FORM, CLOSED, CONTESTED, MISMATCH, PENDING, STRIKE
from tests.elections.conftest import enter_both, make_round, tellers


def T(election, n):
    return tellers(election.congress)[n - 1]

NAMES = ["Ứng Viên Một", "Ứng Viên Hai", "Ứng Viên Ba", "Ứng Viên Bốn"]


def test_list_surplus_and_forms(hall):
    e = services.election_create(actor=None, congress=hall.congress, body="executive_committee", seats=3,
                                 candidates=NAMES[:2])
    services.election_base_set(actor=None, election=e, excluded={})
    with pytest.raises(InvalidInput, match="ít hơn số lượng"):
        services.election_open(actor=None, election=e)
    services.candidates_set(actor=None, election=e, candidates=NAMES + ["Ứng Viên Năm"])
    with pytest.raises(InvalidInput, match="vượt mức tối đa 1"):  # surplus 2 > ⌊30% × 3⌋ → 1
        services.election_open(actor=None, election=e)
    services.candidates_set(actor=None, election=e, candidates=NAMES)
    services.election_open(actor=None, election=e)
    e.refresh_from_db()
    assert e.form == STRIKE and e.status == "voting"
    sec = make_round(hall.congress, ["Ứng Viên Một"], 1, body="secretary")
    assert sec.form == AGREE_FORM
    # the ballot papers took numbers 01 and 02 of the congress's one series (CON-10)
    assert list(CongressDocument.objects.filter(congress=hall.congress).values_list("number", flat=True)) == [1, 2]


def test_base_from_summoned_minus_excluded(hall):
    e = services.election_create(actor=None, congress=hall.congress, body="executive_committee", seats=3,
                                 candidates=NAMES)
    e = services.election_base_set(actor=None, election=e, excluded={"absent_with_reason": 1, "exempt_absent": 1})
    assert e.base == 5 and e.base_parts["summoned"] == 7 and e.base_parts["excluded"]["absent_with_reason"] == 1
    with pytest.raises(InvalidInput):
        services.election_base_set(actor=None, election=e, excluded={"absent_without_alternate": 1})
    with pytest.raises(InvalidInput, match="lớn hơn"):
        services.election_base_set(actor=None, election=e, excluded={"absent_with_reason": 9})


def test_double_entry_mismatch_contested_and_tally(hall):
    e = make_round(hall.congress, NAMES, 3)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=7)
    for no in range(1, 5):
        assert enter_both(e, no, kept=[1, 2, 3]).status == ACCEPTED
    enter_both(e, 5, kept=[1, 2, 4])
    b6 = services.ballot_enter(actor=T(e, 1), election=e, teller=1, ballot_no=6, kept=[1, 2])
    assert b6.status == PENDING
    with pytest.raises(InvalidInput, match="đã được tổ viên 1"):
        services.ballot_enter(actor=T(e, 1), election=e, teller=1, ballot_no=6, kept=[1, 2])
    b6 = services.ballot_enter(actor=T(e, 2), election=e, teller=2, ballot_no=6, kept=[1, 3])
    assert b6.status == MISMATCH and b6.seq is None
    b7 = enter_both(e, 7, kept=[2, 3], contested=True)
    assert b7.status == CONTESTED
    assert len(services.blockers(e)) == 3
    with pytest.raises(InvalidInput, match="không khớp"):
        services.election_tally(actor=None, election=e)
    with pytest.raises(InvalidInput, match="Lý do"):
        services.ballot_resolve(actor=T(e, 3), ballot=b6, kept=[1, 2], reason=" ")
    services.ballot_resolve(actor=T(e, 3), ballot=b6, kept=[1, 2], reason="Đọc lại: gạch tên số 3")
    with pytest.raises(InvalidInput, match="căn cứ"):
        services.ballot_rule(actor=T(e, 3), ballot=b7, valid=False, reason="Có chữ ký")
    services.ballot_rule(actor=T(e, 3), ballot=b7, valid=False, reason="Có chữ ký", invalid_flag="mark")
    e = services.election_tally(actor=None, election=e)
    assert e.status == CLOSED
    r = e.result
    assert r["valid"] == 6 and r["invalid"] == 1 and r["invalid_reasons"] == {"mark": 1}
    assert [c["votes"] for c in r["candidates"]] == [6, 6, 4, 1]
    assert r["threshold"] == 4 and r["elected"] == [1, 2, 3]
    rows = [(b, k, f) for b, k, f, _ in services.chained_ballots(e)]
    assert chain.fingerprint(rows) == e.fingerprint
    assert chain.verify(chain.export_rows(rows), fingerprint=e.fingerprint).ok
    assert CongressDocument.objects.filter(congress=hall.congress, kind="counting_minutes").count() == 1
    assert AuditEvent.objects.filter(action="election.ballot_resolve").count() == 1


def test_tie_at_cut_off_goes_to_runoff(hall):
    e = make_round(hall.congress, NAMES[:3], 2)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=7)
    ballots = [[1, 2], [1, 2], [1, 3], [1, 3], [2, 3], [2, 3], [1]]  # 5, 4, 4 with threshold 4
    for i, kept in enumerate(ballots, start=1):
        enter_both(e, i, kept=kept)
    e = services.election_tally(actor=None, election=e)
    assert e.result["elected"] == [1] and e.result["runoff"] == [2, 3] and e.result["unfilled"] == 1
    r2 = services.election_next_round(actor=None, election=e)
    assert r2.is_runoff and r2.seats == 1 and r2.round_no == 2 and r2.base == e.base
    assert [c.full_name for c in r2.candidates.all()] == NAMES[1:3]
    r2 = services.election_open(actor=None, election=r2)
    e = services.election_count_start(actor=None, election=r2, issued=6, returned=6)
    for i, kept in enumerate([[1], [1], [2], [1], [2], [1]], start=1):
        enter_both(r2, i, kept=kept)
    r2 = services.election_tally(actor=None, election=r2)
    assert r2.result["threshold"] is None and r2.result["elected"] == [1] and r2.result["unfilled"] == 0
    with pytest.raises(InvalidInput):
        services.election_next_round(actor=None, election=r2)


def test_agree_form_secretary(hall):
    e = make_round(hall.congress, ["Ứng Viên Một"], 1, body="secretary")
    e = services.election_count_start(actor=None, election=e, issued=7, returned=7)
    marks = ["agree"] * 5 + ["disagree", "both"]
    for i, m in enumerate(marks, start=1):
        enter_both(e, i, marks={"1": m})
    e = services.election_tally(actor=None, election=e)
    assert e.result["elected"] == [1] and e.result["valid"] == 6 and e.result["disagree"] == {"1": 1}


def test_ballot_numbers_bounded_by_returned(hall):
    e = make_round(hall.congress, NAMES, 3)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=6)
    with pytest.raises(InvalidInput, match="lớn hơn số phiếu thu vào"):
        services.ballot_enter(actor=T(e, 1), election=e, teller=1, ballot_no=7, kept=[1])
    with pytest.raises(InvalidInput, match="số 9"):
        services.ballot_enter(actor=T(e, 1), election=e, teller=1, ballot_no=1, kept=[9])


def test_typed_names_link_to_delegates_and_counting_committee_is_refused(hall):
    e = services.election_create(actor=None, congress=hall.congress, body="executive_committee", seats=1,
                                 candidates=["Nguyễn Văn Hùng", "Ứng Viên Ngoài"])
    linked = {c.full_name: c.member for c in e.candidates.all()}
    assert linked["Nguyễn Văn Hùng"] == hall.world.hung and linked["Ứng Viên Ngoài"] is None
    with pytest.raises(InvalidInput, match="Ban Kiểm phiếu"):  # Thử A is on the counting committee
        services.candidates_set(actor=None, election=e, candidates=["Đảng Viên Thử A", "Ứng Viên Ngoài"])
    assert [c.full_name for c in e.candidates.all()] == ["Nguyễn Văn Hùng", "Ứng Viên Ngoài"]  # unchanged
