"""Properties of the review queue (issue 15): no pair is both merged and queued (nor merged and counted
as weak); every queued pair has a class and its reason in words; a bulk decision and its undo restore
every record exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dangbo.members.models import Member
from dangbo.orgs.models import Organization
from dangbo.registry.matching import KINDS, match
from dangbo.registry.models import BulkDecision, ReviewPair, SourceRecord
from dangbo.registry.queue import bulk_decide, bulk_undo
from dangbo.registry.readers import Row
from dangbo.registry.records import make_record
from dangbo.registry.services import member_snapshot
from tests.registry.test_import import run_import, write_csv

NAMES = ["Nguyễn Văn Hùng", "NGUYEN VAN HUNG", "Nguyễn Văn Hưng", "Trần Thị Lan", "Trần Thị Lan Anh", "Lê Văn Hùng"]
BIRTHS = ["05/05/1975", "1975", "06/05/1975", "05/06/1975", "12/12/1980", None]
ADMISSIONS = ["02/03/2000", "03/03/2000", "02/03/2001", None]
HOMES = ["Xã Bảo Đức, Phú Thọ", "Xã Kim Bôi, Hòa Bình", "Phú Thọ", None]
IDS = ["025075000123", "025075000124", "025075000132", None]
CARDS = ["11111111", "22222222", None]

rows = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(BIRTHS), st.sampled_from(ADMISSIONS),
                          st.sampled_from(HOMES), st.sampled_from(IDS), st.sampled_from(CARDS),
                          st.sampled_from(["Nam", "Nữ", None])), min_size=2, max_size=14)


@settings(max_examples=150, deadline=None)
@given(rows)
def test_no_pair_is_both_merged_and_queued(values):
    records = []
    for i, (name, birth, adm, home, nid, card, sex) in enumerate(values):
        r = make_record(Row(f"r.csv:{i + 2}", i + 2, {
            "full_name": name, "birth_date": birth, "admission_date": adm, "home_town": home,
            "national_id": nid, "party_card_no": card, "sex": sex}), i, "r.csv")
        assert not isinstance(r, str)
        records.append(r)
    m = match(records)
    person = {i: p for p, members in enumerate(m.clusters) for i in members}
    assert sorted(person) == list(range(len(records)))  # every record in exactly one person
    queued = {(c.a, c.b) for c in m.review}
    for c in m.review:
        assert person[c.a] != person[c.b]  # queued ⇒ not merged
        assert c.kind in KINDS and c.reason
    for a, b, reason in m.weak:
        assert person[a] != person[b] and (a, b) not in queued and reason  # weak ⇒ neither
    for c in m.merged:
        assert person[c.a] == person[c.b]
    for members in m.clusters:  # never two national IDs in one person
        assert len({records[i].national_id for i in members if records[i].national_id}) <= 1


# ---------------------------------------------------------------- bulk decisions and their undo

PEOPLE = [("Đinh Văn Tú", "1970", "Nam", "Xã Bảo Đức, Phú Thọ", "03/02/1995", "Chi bộ A1"),
          ("Hà Thị Nga", "1980", "Nữ", "Xã Tiên Lữ, Vĩnh Phúc", "01/07/2005", "Chi bộ A2"),
          ("Lò Văn Páo", "1985", "Nam", "Xã Kim Bôi, Hòa Bình", "02/09/2010", "Chi bộ cơ sở B"),
          ("Mai Thị Hoa", "1975", "Nữ", "Xã Yên Lạc, Phú Thọ", "04/05/2000", "Chi bộ A1"),
          ("Vi Văn Lâm", "1971", "Nam", "Xã Hợp Kim, Hòa Bình", "05/05/1999", "Chi bộ A2")]


def _state():
    members = sorted(repr(member_snapshot(m)) for m in Member.objects.all())
    rows = sorted((r.ref, repr(member_snapshot(r.member))) for r in SourceRecord.objects.select_related("member"))
    pairs = sorted(ReviewPair.objects.values_list("pk", "status", "undo", "decided_by", "bulk"))
    counts = list(Organization.objects.values_list("pk", "official_count", "probationary_count").order_by("pk"))
    return members, rows, pairs, counts


@pytest.mark.django_db
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each example imports a roll
@given(copies=st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=len(PEOPLE)),
       full_dates=st.lists(st.booleans(), min_size=len(PEOPLE), max_size=len(PEOPLE)),
       action=st.sampled_from([BulkDecision.MERGE, BulkDecision.KEEP_APART]),
       decide_one_first=st.booleans())
def test_a_bulk_decision_and_its_undo_restore_every_record(world, copies, full_dates, action, decide_one_first):
    """Rows of up to five people, each typed 1–4 times without an ID (one row with the full birth date
    or none): the queue holds their pairs; deciding a whole class and undoing it gives back every member
    (fields and events), every source row's member, every pair and every counter exactly."""
    sid = transaction.savepoint()
    try:
        data = []
        for (name, year, sex, home, adm, cell), extra, full in zip(PEOPLE, copies, full_dates, strict=False):
            data.append([name, f"12/03/{year}" if full else year, sex, "", "", home, adm, "", cell])
            # the copies without home town: with it, name + year + admission day + commune would merge
            data += [[name, year, sex, "", "", "", adm, "", cell] for _ in range(extra)]
        with tempfile.TemporaryDirectory() as d:
            batch_id = run_import([write_csv(Path(d), "cu.csv", data)])["batch"]
        kinds = set(ReviewPair.objects.filter(batch_id=batch_id).values_list("kind", flat=True))
        assert kinds <= {"some"} and kinds
        batch = ReviewPair.objects.filter(batch_id=batch_id).first().batch
        if decide_one_first and ReviewPair.objects.filter(batch=batch).count() > 1:
            # a pair decided by hand before stays as it was (when another is left to decide in bulk)
            from dangbo.registry.services import pair_keep_apart

            pair_keep_apart(actor=world.office, pair=ReviewPair.objects.filter(batch=batch).order_by("-id").first())
        before = _state()
        bulk = bulk_decide(actor=world.office, batch=batch, kind="some", action=action)
        assert bulk.count == ReviewPair.objects.filter(bulk=bulk).count() > 0
        assert not ReviewPair.objects.filter(batch=batch, status="open").exists() or bulk.skipped
        bulk_undo(actor=world.office, bulk=bulk)
        assert _state() == before
    finally:
        transaction.savepoint_rollback(sid)
