"""Monthly snapshots of the tallies (issue 14, reports.snapshots): after any sequence of writes through
the services — before and after the snapshots were written, events dated before a snapshot's day,
profile corrections, organisation moves, registry merges — every snapshot equals the replay of every
member on its day, and the report of any past day equals the replay (`report_replayed`)."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dangbo.members.models import Member
from dangbo.members.services import member_event_record, member_update
from dangbo.orgs.models import Organization
from dangbo.orgs.services import org_found, org_move
from dangbo.reports import selectors
from dangbo.reports.models import Snapshot, SnapshotDayTally, SnapshotTally
from dangbo.reports.snapshots import (
    _reference,
    kept_months,
    month_ends,
    report_past,
    snapshots_build,
    snapshots_check,
    snapshots_fill_days,
)
from dangbo.reports.tallies import DAY_DIMS
from tests.reports.writes import TODAY, Mix, random_writes, step

MIX = Mix(admitted_span=3800, some_official=False, admission_edits=True)
DAYS = [date(2025, 12, 31), date(2026, 2, 28), date(2026, 4, 30)]


def assert_past_equal(orgs, day):
    for org in orgs:
        want = selectors.report_replayed(org, day)
        for by_path in (True, False):  # `_window`'s two ways to the window's members in the subtree
            with mock.patch("dangbo.reports.snapshots._by_path", lambda _ev, _size, by_path=by_path: by_path):
                assert report_past(org, day) == want, (org.code, day, by_path)


def test_snapshots_equal_the_replay_and_serve_past_days(world):
    member_event_record(actor=None, member=world.hung, kind="death", on=date(2026, 1, 5), today=TODAY)
    assert snapshots_build(DAYS, min_members=2) == sorted(DAYS, reverse=True)
    assert snapshots_build(DAYS, min_members=2) == []  # written once
    assert snapshots_check() == 0
    # ROOT (3 counted) and A (2 on the first day) covered with 2; the cells are replayed
    covered = set(SnapshotTally.objects.filter(dim="", snapshot__day=DAYS[0]).values_list("organization__code", flat=True))
    assert covered == {"ROOT"}  # today's counts decide: A has 1 left
    orgs = list(Organization.objects.order_by("pk"))
    for day in (*DAYS, date(2025, 12, 30), date(2026, 1, 4), date(2026, 1, 5), date(2025, 8, 31), date(2000, 3, 2)):
        assert_past_equal(orgs, day)
    assert selectors.members_report(world.root, DAYS[0])["total"] == 3
    assert selectors.members_report(world.root, DAYS[1])["total"] == 2


def test_a_profile_correction_after_the_snapshot_reaches_it(world):
    snapshots_build(DAYS, min_members=0)
    member_update(actor=None, member=world.lan, profile={"ethnicity": "Tày", "birth_date": date(1972, 2, 3)})
    member_update(actor=None, member=world.hoa, profile={}, admission_date=date(2026, 3, 1))  # later than two days
    assert snapshots_check() == 0
    report = report_past(world.root, DAYS[0])  # the current profile counts on every day, as the replay
    assert report["total"] == 2 and report["by_ethnicity"]["Tày"] == 1 and report["by_age_band"][">60"] == 0
    assert report_past(world.root, DAYS[2])["total"] == 3
    assert_past_equal(list(Organization.objects.all()), DAYS[1])


def test_an_event_dated_before_the_snapshot_reaches_it(world):
    snapshots_build(DAYS, min_members=0)
    member_event_record(actor=None, member=world.hoa, kind="death", on=date(2026, 1, 20), today=TODAY)
    assert snapshots_check() == 0
    assert report_past(world.root, DAYS[0])["total"] == 3
    assert report_past(world.root, DAYS[1])["total"] == 2
    assert report_past(world.b, DAYS[1])["total"] == 0


@pytest.mark.parametrize("min_members", [0, 2])
def test_an_org_move_after_the_snapshot_moves_its_counts(world, min_members):
    snapshots_build(DAYS, min_members=min_members)
    c = org_found(actor=None, code="C", name="Đảng bộ C", kind="committee", parent=world.root, on=date(2025, 7, 1))
    org_move(actor=None, org=world.a, parent=c, on=date(2026, 5, 1))
    org_move(actor=None, org=world.b, parent=world.other, on=date(2026, 5, 1))
    assert snapshots_check() == 0
    assert_past_equal(list(Organization.objects.all()), DAYS[1])


def test_command_writes_checks_and_refuses(world):
    out = StringIO()
    call_command("report", "snapshots", "--months", "2", "--min-members", "0", stdout=out)
    assert "Đã ghi ảnh chụp bảng đếm" in out.getvalue()
    assert set(Snapshot.objects.values_list("day", flat=True)) == set(month_ends(2, date.today()))
    call_command("report", "snapshots", "--check", stdout=out)
    assert "đúng" in out.getvalue()
    SnapshotTally.objects.filter(organization=world.root, dim="sex", value="M").update(n=99)
    with pytest.raises(CommandError, match="2 dòng"):
        call_command("report", "snapshots", "--check", stdout=StringIO())
    with pytest.raises(CommandError, match="--months"):
        call_command("report", "snapshots", "--months", "-1", stdout=StringIO())
    with pytest.raises(CommandError, match="--before"):
        call_command("report", "snapshots", "--before", "2026-13-01", stdout=StringIO())
    call_command("report", "snapshots", "--before", "2026-01-15", "--months", "1", stdout=out)
    assert Snapshot.objects.filter(day=date(2025, 12, 31)).exists()


def test_a_snapshot_keeps_its_band_months_by_day(world):
    """Members born (admitted) either side of the 31-year (10-party-year) thresholds of days in February
    and March 2026: the snapshot of 28/02 keeps those months by day; its own day reads no member row,
    the days around it equal the replay, and the rows survive a refill (reports migration 0006)."""
    for i, (born, admitted) in enumerate(((date(1995, 2, 27), date(2016, 2, 28)), (date(1995, 2, 28), date(2016, 2, 29)),
                                          (date(1995, 3, 1), date(2016, 3, 1)), (date(1995, 2, 10), date(2016, 3, 20)),
                                          (date(1995, 3, 25), date(2016, 2, 1)))):
        world.add((world.a1, world.b)[i % 2], f"Nguyễn Văn Biên{i}", birth_date=born, admitted=admitted, official=None)
    snapshots_build(DAYS, min_members=0)
    assert kept_months(DAYS[1]) == {"birth_month": frozenset({"1995-02", "1995-03", "1985-02", "1985-03", "1975-02",
                                                              "1975-03", "1965-02", "1965-03"}),
                                    "admission_month": frozenset({"2016-02", "2016-03", "2006-02", "2006-03", "1996-02",
                                                                  "1996-03", "1986-02", "1986-03"})}
    # after the snapshot: one born in a split month of March's days leaves, then two others move (so
    # that mid-March starts from 28/02 and replays the one who left: the window moves its day count)
    leaves = Member.objects.get(full_name="Nguyễn Văn Biên2")
    member_event_record(actor=None, member=leaves, kind="death", on=date(2026, 3, 10), today=TODAY)
    for who in (world.hung, world.lan):
        member_event_record(actor=None, member=who, kind="transfer_internal", on=date(2026, 4, 20), to_org=world.b,
                            today=TODAY)
    assert _reference(world.root, date(2026, 3, 15), "default")[1] == DAYS[1]
    assert snapshots_check() == 0
    rows = SnapshotDayTally.objects.filter(snapshot__day=DAYS[1], organization=world.root)
    assert set(rows.values_list("dim", "value", "n")) >= {("birth_day", "1995-02-27", 1), ("admission_day", "2016-02-29", 1)}
    with CaptureQueriesContext(connection) as ctx:
        report = report_past(world.root, DAYS[1])
    assert report == selectors.report_replayed(world.root, DAYS[1])
    assert not [q["sql"] for q in ctx.captured_queries if Member._meta.db_table in q["sql"]]
    orgs = list(Organization.objects.order_by("pk"))
    for day in (DAYS[1], date(2026, 2, 27), date(2026, 2, 1), date(2026, 3, 1), date(2026, 3, 9), date(2026, 3, 10),
                date(2026, 3, 15), date(2026, 3, 31), date(2026, 1, 31), date(2026, 4, 19), date(2026, 4, 25)):
        assert_past_equal(orgs, day)
    assert not SnapshotTally.objects.filter(dim__in=list(DAY_DIMS.values())).exists()
    SnapshotDayTally.objects.all().delete()
    assert snapshots_check() > 0  # the check sees them missing
    assert snapshots_fill_days() == sorted(DAYS)
    assert snapshots_check() == 0


def test_members_loaded_without_events_count_from_their_admission(world):
    """A bulk load writes member rows without events (`selectors._without_events`: counted from the
    admission date): those admitted between a past day and its snapshot are in the window by their
    admission date alone — both of `_window`'s ways, born in a kept month or not."""
    from dangbo.reports.tallies import tallies_rebuild

    cells = (world.a1, world.a2, world.b, world.x1)
    Member.objects.bulk_create([
        Member(organization=cells[i % 4], org_path=cells[i % 4].path, full_name=f"Người {i}", sex="M",
               state=("official", "probationary", "removed")[i % 3], birth_date=date(1995, 2, 1) + timedelta(days=i * 3),
               admission_date=date(2025, 12, 1) + timedelta(days=i * 7))
        for i in range(24)])
    tallies_rebuild()
    snapshots_build(DAYS, min_members=0)
    assert snapshots_check() == 0
    orgs = list(Organization.objects.order_by("pk"))
    for day in (date(2025, 12, 15), DAYS[0], date(2026, 1, 20), date(2026, 2, 10), DAYS[1], date(2026, 3, 15),
                date(2026, 4, 29)):
        assert_past_equal(orgs, day)


def test_month_ends():
    assert month_ends(3, date(2026, 3, 15)) == [date(2026, 2, 28), date(2026, 1, 31), date(2025, 12, 31)]


# --------------------------------------------------------------------------------------------------
# Random writes before and after the snapshots: every snapshot == the replay; any day == the replay
# --------------------------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(before=st.lists(step, max_size=12), after=st.lists(step, min_size=1, max_size=12),
       min_members=st.sampled_from([0, 1, 3]), days=st.lists(st.integers(-400, 400), min_size=1, max_size=3))
def test_random_writes_keep_snapshots_equal_to_the_replay(world, before, after, min_members, days):
    with transaction.atomic():  # each example starts from the fixture's world
        fresh = {o.code: o for o in Organization.objects.all()}
        cells = [fresh[c] for c in ("A1", "A2", "B", "X1")]
        members = list(Member.objects.order_by("pk"))
        parents = [fresh["ROOT"], fresh["X"], org_found(actor=None, code="C", name="Đảng bộ C", kind="committee",
                                                      parent=fresh["ROOT"], on=date(2025, 7, 1))]
        random_writes(world, before, members, cells, parents, fresh, date(2025, 10, 1), MIX)
        snapshots_build(DAYS, min_members=min_members)
        # after: from the first snapshot's month again, so some events fall before later snapshots' days
        random_writes(world, after, members, cells, parents, fresh, date(2025, 12, 1), MIX)
        assert snapshots_check() == 0
        orgs = list(Organization.objects.order_by("pk"))
        for offset in days:
            for day in (DAYS[1] + timedelta(days=offset), DAYS[offset % 3]):
                assert_past_equal(orgs, day)
        transaction.set_rollback(True)


def test_a_day_nearer_the_earlier_snapshot_starts_from_it(world):
    snapshots_build(DAYS, min_members=0)
    # events after 5 January 2026 up to the next snapshot's day: the earlier one is nearer in events
    for who, on in ((world.hung, date(2026, 2, 10)), (world.lan, date(2026, 2, 20))):
        member_event_record(actor=None, member=who, kind="transfer_internal", on=on, to_org=world.b, today=TODAY)
    member_event_record(actor=None, member=Member.objects.get(pk=world.hung.pk), kind="death", on=date(2026, 2, 25),
                        today=TODAY)
    day = date(2026, 1, 5)
    first = Snapshot.objects.get(day=DAYS[0])
    assert _reference(world.root, day, "default") == (first.pk, DAYS[0])
    assert _reference(world.root, date(2026, 2, 21), "default")[1] == DAYS[1]  # one event after it: the later
    assert snapshots_check() == 0
    orgs = list(Organization.objects.order_by("pk"))
    for d in (day, date(2026, 2, 21), date(2026, 2, 24), date(2026, 2, 25)):
        assert_past_equal(orgs, d)


def test_a_write_reads_the_snapshot_list_once(world):
    snapshots_build(DAYS, min_members=0)
    with CaptureQueriesContext(connection) as ctx:
        member_update(actor=None, member=world.lan, profile={"ethnicity": "Tày"})
    table = Snapshot._meta.db_table
    lists = [q["sql"] for q in ctx.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(lists) == 1, lists
    assert snapshots_check() == 0
