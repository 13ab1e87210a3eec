"""Hypothesis properties of double entry and the tally, through the services and the database:
- a ballot is counted only when both entries agree or the committee decided it;
- no ballot is counted twice (one chain place per ballot number; the chain verifies);
- vote totals equal the names kept over the valid accepted ballots;
- the elected never exceed the seats."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.elections import chain, rules, services
from dangbo.elections.models import ACCEPTED, CONTESTED, MISMATCH, PENDING
from tests.elections.conftest import make_round, tellers

SEATS = st.integers(min_value=1, max_value=4)


@st.composite
def rounds(draw):
    seats = draw(SEATS)
    n = seats + 1
    numbers = list(range(1, n + 1))
    reading = st.tuples(st.frozensets(st.sampled_from(numbers)),
                        st.frozensets(st.sampled_from(rules.FLAGS), max_size=1))
    count = draw(st.integers(min_value=0, max_value=7))
    ballots = []
    for no in range(1, count + 1):
        first = draw(reading)
        second = draw(st.one_of(st.just(first), reading))
        ballots.append({"no": no, "t1": first, "t2": second, "contested": draw(st.booleans()) and first == second,
                        "t2_first": draw(st.booleans()), "only_one": draw(st.integers(0, 9)) == 0})
    return seats, n, ballots


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=rounds())
def test_double_entry_properties(hall, data):
    seats, n, ballots = data
    e = make_round(hall.congress, [f"Ứng Viên {i}" for i in range(1, n + 1)], seats)
    e = services.election_count_start(actor=None, election=e, issued=7, returned=len(ballots))
    users = tellers(hall.congress)
    for b in ballots:
        order = [(2, b["t2"]), (1, b["t1"])] if b["t2_first"] else [(1, b["t1"]), (2, b["t2"])]
        if b["only_one"]:
            order = order[:1]
        for teller, (kept, flags) in order:
            contested = b["contested"]
            services.ballot_enter(actor=users[teller - 1], election=e, teller=teller, ballot_no=b["no"], kept=sorted(kept),
                                  flags=sorted(flags), contested=contested)
    # counted only when both entries agree: nothing else has a chain place yet
    for ballot in e.ballots.prefetch_related("entries"):
        entries = list(ballot.entries.all())
        if ballot.status == ACCEPTED:
            assert len(entries) == 2 and entries[0].reading() == entries[1].reading() and ballot.seq
        else:
            assert ballot.seq is None and ballot.status in (PENDING, MISMATCH, CONTESTED)
    if any(b["only_one"] for b in ballots) or e.ballots.filter(status=MISMATCH).exists():
        assert services.blockers(e)
    # the committee: second entry for the single-entry ballots, re-read mismatches, rule contested
    for b in ballots:
        if b["only_one"]:
            teller = 1 if b["t2_first"] else 2
            kept, flags = b["t1"] if teller == 1 else b["t2"]
            services.ballot_enter(actor=users[teller - 1], election=e, teller=teller, ballot_no=b["no"], kept=sorted(kept),
                                  flags=sorted(flags), contested=b["contested"])
    for ballot in e.ballots.filter(status=MISMATCH):
        kept, flags = next(b["t1"] for b in ballots if b["no"] == ballot.ballot_no)
        services.ballot_resolve(actor=users[2], ballot=ballot, kept=sorted(kept), flags=sorted(flags), reason="đọc lại")
    for ballot in e.ballots.filter(status=CONTESTED):
        services.ballot_rule(actor=users[2], ballot=ballot, valid=False, reason="có dấu hiệu riêng", invalid_flag="mark")
    e = services.election_tally(actor=None, election=e)
    accepted = list(e.ballots.filter(status=ACCEPTED).prefetch_related("entries").order_by("seq"))
    # every ballot counted once, in one chain place; the chain verifies against the fingerprint
    assert sorted(b.ballot_no for b in accepted) == list(range(1, len(ballots) + 1))
    assert [b.seq for b in accepted] == list(range(1, len(accepted) + 1))
    rows = chain.export_rows([(b.ballot_no, b.kept, b.flags) for b in accepted])
    assert chain.verify(rows, fingerprint=e.fingerprint).ok
    for b in accepted:
        entries = list(b.entries.all())
        assert entries[0].reading() == entries[1].reading() or b.decision
    # vote totals = names kept over the valid accepted ballots
    votes, valid = Counter(), 0
    for b in accepted:
        ok, _ = rules.ballot_validity(b.kept, b.flags, list_size=n, seats=seats)
        if ok:
            valid += 1
            votes.update(b.kept)
    assert e.result["valid"] == valid and e.result["valid"] + e.result["invalid"] == len(ballots)
    assert {c["no"]: c["votes"] for c in e.result["candidates"]} == {no: votes[no] for no in range(1, n + 1)}
    assert len(e.result["elected"]) <= seats
    assert len(e.result["elected"]) + e.result["unfilled"] == seats
