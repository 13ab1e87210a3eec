"""The elections demo on a small committee: deterministic, a tie at the cut-off settled by a runoff,
a mismatch resolved and a contested ballot ruled, the secretary elected on an agree / disagree list."""

import io
import random
from datetime import date

from docx import Document

from dangbo.elections import chain, docs
from dangbo.elections.demo import build_elections_demo
from dangbo.elections.models import Election
from dangbo.elections.services import chained_ballots


def _grassroots_cell(world, n=14):
    for i in range(n):
        world.add(world.b, f"Đảng Viên Demo {i:02d}")
    return world.b


def test_demo_congress_elects_with_a_runoff(world):
    _grassroots_cell(world)
    congress = build_elections_demo(root=world.root, today=date(2025, 7, 31), rng=random.Random("t"))
    assert congress.organization == world.b and congress.kind == "members"
    first, runoff, secretary, counting = congress.elections.order_by("id")
    assert first.result["runoff"] and len(first.result["elected"]) == 2 and first.result["unfilled"] == 1
    assert runoff.previous == first and runoff.is_runoff and len(runoff.result["elected"]) == 1
    assert secretary.form == "agree" and secretary.result["elected"] == [1]
    assert first.ballots.filter(was_mismatch=True, decision="resolved").count() == 1
    assert first.ballots.filter(was_contested=True, decision="valid").count() == 1
    tellers = set(congress.bodies.get(kind="counting").members.values_list("delegate__member_id", flat=True))
    listed = set(first.candidates.values_list("member_id", flat=True))
    assert len(tellers) == 3 and not tellers & listed  # CON-9
    minutes = "\n".join(p.text for p in Document(io.BytesIO(docs.counting_minutes(first))).paragraphs)
    assert "(Trưởng ban)" in minutes and "Bằng phiếu nhau ở vị trí cuối" in minutes
    assert chain.format_fingerprint(first.fingerprint) in minutes
    for e in (first, runoff, secretary):
        rows = chain.export_rows([(b, k, f) for b, k, f, _ in chained_ballots(e)])
        assert chain.verify(rows, fingerprint=e.fingerprint).ok and e.status == "closed"
    # a round left half counted to practise on: both desks have ballots to enter, one waits on the committee
    assert (counting.body, counting.status) == ("upper_delegates", "counting")
    entered = {t: counting.ballots.filter(entries__teller=t).count() for t in (1, 2)}
    assert 0 < entered[2] < entered[1] < counting.returned
    assert counting.ballots.filter(status="mismatch").count() == 1
    assert not tellers & set(counting.candidates.values_list("member_id", flat=True))
    # idempotent
    assert build_elections_demo(root=world.root, today=date(2025, 7, 31), rng=random.Random("t")) == congress
    assert Election.objects.count() == 4


def test_demo_is_deterministic(world):
    _grassroots_cell(world)
    c = build_elections_demo(root=world.root, today=date(2025, 7, 31), rng=random.Random("same"))
    prints = [(e.fingerprint, list(e.ballots.values_list("ballot_no", "status", "kept"))) for e in c.elections.order_by("id")]
    for e in c.elections.order_by("-id"):  # later rounds first (they point to the earlier)
        e.delete()
    c.delete()
    c2 = build_elections_demo(root=world.root, today=date(2025, 7, 31), rng=random.Random("same"))
    assert [(e.fingerprint, list(e.ballots.values_list("ballot_no", "status", "kept")))
            for e in c2.elections.order_by("id")] == prints
