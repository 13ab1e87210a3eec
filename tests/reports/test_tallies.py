"""Membership tallies kept exact (issue 14, reports.tallies): after any sequence of writes through the
services they equal a rebuild from the member rows, and the report read from them equals the GROUP BY
over the member rows (`report_current`) on any day — boundary days of the age bands included."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dangbo.members.models import Member
from dangbo.members.services import member_event_record, member_update
from dangbo.orgs.models import Organization
from dangbo.orgs.services import org_found, org_move
from dangbo.registry.models import BulkDecision, ReviewPair
from dangbo.registry.queue import bulk_decide, bulk_undo
from dangbo.reports import selectors
from dangbo.reports.models import Tally
from dangbo.reports.tallies import report_tallied, tallies_rebuild, tally_snapshot
from tests.registry.test_import import run_import, write_csv
from tests.reports.writes import TODAY, random_writes, step


def assert_exact():
    """The kept rows == what a rebuild writes (and the rebuild writes them again unchanged)."""
    kept = tally_snapshot()
    assert tallies_rebuild(check=True) == 0, "kept tallies differ from the rebuild"
    tallies_rebuild()
    assert tally_snapshot() == kept


def assert_reports_equal(orgs, day):
    for org in orgs:
        assert report_tallied(org, day) == selectors.report_current(org, day), (org.code, day)


def test_member_create_and_events_keep_the_tallies(world):
    assert_exact()
    root_rows = dict(((d, v), n) for (o, d, v), n in tally_snapshot().items() if o == world.root.pk)
    assert root_rows[("state", "official")] == 2 and root_rows[("state", "probationary")] == 1
    assert root_rows[("sex", "F")] == 2 and root_rows[("birth_month", "1975-05")] == 3
    member_event_record(actor=None, member=world.hung, kind="death", on=date(2026, 1, 5), today=TODAY)
    assert_exact()
    assert report_tallied(world.root, TODAY)["total"] == 2


def test_a_profile_change_moves_the_member_between_values(world):
    member_update(actor=None, member=world.lan, profile={"ethnicity": "Tày", "birth_date": date(1972, 2, 3)},
                  admission_date=date(1999, 3, 1))
    assert_exact()
    r = report_tallied(world.a, TODAY)
    assert r["by_ethnicity"] == {"Kinh": 1, "Tày": 1}
    assert r == selectors.report_current(world.a, TODAY)


def test_an_id_number_given_or_cleared_moves_the_id_digits_tally(world):
    """`national_id_digits` (today's tallies only): the programme's 12-digit ID measure reads it."""
    def root_ids():
        return {v: n for (o, d, v), n in tally_snapshot().items() if o == world.root.pk and d == "national_id_digits"}

    before = root_ids()
    assert sum(before.values()) == 3  # every counted member has one value
    member_update(actor=None, member=world.lan, profile={"national_id": "001095012345"})
    assert_exact()
    after = root_ids()
    assert after.get("12", 0) == before.get("12", 0) + 1 and sum(after.values()) == 3
    member_update(actor=None, member=Member.objects.get(pk=world.lan.pk), profile={"national_id": ""})
    assert_exact()
    assert root_ids() == before


def test_a_stale_object_does_not_make_the_tallies_drift(world):
    stale = Member.objects.get(pk=world.hung.pk)
    member_event_record(actor=None, member=world.hung, kind="transfer_internal", on=date(2026, 1, 5),
                        to_org=world.b, today=TODAY)
    member_update(actor=None, member=stale, profile={"religion": "Phật giáo"})
    assert_exact()


def test_org_move_moves_the_subtree_counts(world):
    c = org_found(actor=None, code="C", name="Đảng bộ C", kind="committee", parent=world.root, on=date(2025, 7, 1))
    org_move(actor=None, org=world.a, parent=c, on=date(2026, 1, 1))
    assert_exact()
    c.refresh_from_db()
    assert report_tallied(c, TODAY)["total"] == 2
    assert_reports_equal([world.root, c, world.a], TODAY)


def test_rebuild_command_repairs_and_checks(world):
    Tally.objects.filter(organization=world.root, dim="sex", value="M").update(n=99)
    with pytest.raises(CommandError, match="1 dòng"):
        call_command("report", "tallies", "--check", stdout=StringIO())
    out = StringIO()
    call_command("report", "tallies", stdout=out)
    assert "Đã tính lại" in out.getvalue()
    call_command("report", "tallies", "--check", stdout=StringIO())


def test_registry_merge_and_undo_keep_the_tallies(world):
    data = [["Đinh Văn Tú", "1970", "Nam", "", "", "Xã Bảo Đức, Phú Thọ", "03/02/1995", "", "Chi bộ A1"],
            ["Đinh Văn Tú", "1970", "Nam", "", "", "", "03/02/1995", "", "Chi bộ A1"],
            ["Hà Thị Nga", "12/03/1980", "Nữ", "", "", "", "01/07/2005", "", "Chi bộ A2"],
            ["Hà Thị Nga", "1980", "Nữ", "", "", "", "01/07/2005", "", "Chi bộ A2"]]
    with tempfile.TemporaryDirectory() as d:
        batch_id = run_import([write_csv(Path(d), "cu.csv", data)])["batch"]
    assert_exact()
    pair = ReviewPair.objects.filter(batch_id=batch_id).first()
    assert pair is not None
    bulk = bulk_decide(actor=world.office, batch=pair.batch, kind=pair.kind, action=BulkDecision.MERGE)
    assert bulk.count > 0
    assert_exact()
    bulk_undo(actor=world.office, bulk=bulk)
    assert_exact()


def test_members_report_today_reads_the_tallies_not_the_members(world, django_assert_max_num_queries):
    day = date.today()
    with django_assert_max_num_queries(4):  # last event day, the organisation's rows, the boundary months
        report = selectors.members_report(world.root, day)
    assert report == selectors.report_current(world.root, day)


# --------------------------------------------------------------------------------------------------
# Random writes through the services: kept == rebuild; report from tallies == GROUP BY on any day
# --------------------------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(steps=st.lists(step, min_size=1, max_size=20), days=st.lists(st.integers(0, 20_000), min_size=1, max_size=3))
def test_random_writes_keep_tallies_equal_to_rebuild_and_report(world, steps, days):
    with transaction.atomic():  # each example starts from the fixture's world
        # fresh objects: a rolled-back example leaves the fixture's objects with its paths in memory
        fresh = {o.code: o for o in Organization.objects.all()}
        cells = [fresh[c] for c in ("A1", "A2", "B", "X1")]
        members = list(Member.objects.order_by("pk"))
        parents = [fresh["ROOT"], fresh["X"], org_found(actor=None, code="C", name="Đảng bộ C", kind="committee",
                                                      parent=world.root, on=date(2025, 7, 1))]
        random_writes(world, steps, members, cells, parents, fresh, date(2026, 1, 1))
        kept = tally_snapshot()
        tallies_rebuild()
        assert tally_snapshot() == kept
        orgs = list(Organization.objects.order_by("pk"))
        for offset in days:  # any day: both read the current states; bands on that day
            assert_reports_equal(orgs, date(2000, 1, 1) + timedelta(days=offset))
        transaction.set_rollback(True)


@given(day=st.dates(date(1990, 1, 1), date(2060, 12, 31)))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_band_boundaries_on_any_day(world, day):
    """Members born / admitted on each side of every band's start on `day`: the split months read from
    the member rows give the same bands as the GROUP BY."""
    with transaction.atomic():
        for i, years in enumerate((31, 41, 51, 61)):
            for delta in (-1, 0, 1):
                try:
                    birth = day.replace(year=day.year - years) + timedelta(days=delta)
                    admitted = day.replace(year=day.year - years + 21) + timedelta(days=delta)
                except ValueError:  # 29 February
                    continue
                if birth < date(1900, 1, 1) or admitted > date(2026, 1, 1) or admitted < date(1930, 2, 3):
                    continue
                world.add(world.a1, f"Trần Văn Mốc{i}{delta + 1}", birth_date=birth, admitted=admitted, official=None)
        assert_reports_equal([world.root, world.a, world.a1], day)
        transaction.set_rollback(True)
