"""Organisation member counters (orgs.counts): kept by the member services in the same transaction,
equal to a rebuild from the member rows after every kind of event, and what the tree selectors sum."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.members.rules import COUNTED_STATES, add_months, allowed_events
from dangbo.members.services import member_event_record
from dangbo.orgs.counts import counted_field, counts_apply, counts_rebuild
from dangbo.orgs.models import Organization
from dangbo.orgs.selectors import org_member_counts, org_tree
from dangbo.orgs.services import org_merge
from tests.member_events import event_kwargs

TODAY = date(2030, 1, 1)  # events are dated 2026; keep them out of "the future" whatever the clock says


def _counters() -> dict[int, tuple[int, int]]:
    return {o.pk: (o.official_count, o.probationary_count) for o in Organization.objects.order_by("pk")}


def _from_members() -> dict[int, tuple[int, int]]:
    """Each organisation's own members counted straight from the member rows (MEM-5)."""
    out = {pk: [0, 0] for pk in Organization.objects.values_list("pk", flat=True)}
    for org_id, state in Member.objects.filter(state__in=COUNTED_STATES).values_list("organization_id", "state"):
        out[org_id][state == "probationary"] += 1
    return {pk: tuple(v) for pk, v in out.items()}


def assert_consistent():
    """The counters the services kept == the member rows == what a rebuild would write."""
    kept = _counters()
    assert kept == _from_members()
    assert counts_rebuild(dry_run=True) == []
    counts_rebuild()
    assert _counters() == kept


def _event(member, kind, on, **kw):
    return member_event_record(actor=None, member=member, kind=kind, on=on, today=TODAY, **kw)


def _own(org) -> tuple[int, int]:
    org.refresh_from_db()
    return org.official_count, org.probationary_count


def test_counted_field_follows_mem5():
    assert counted_field("official") == counted_field("exempt") == "official_count"
    assert counted_field("probationary") == "probationary_count"
    for state in ("removed", "left", "expelled", "deceased", "transferred_out", "", None):
        assert counted_field(state) is None


def test_creation_counts_at_the_organisation(world):
    assert (_own(world.a1), _own(world.a2), _own(world.b), _own(world.x1)) == ((1, 0), (1, 0), (0, 1), (1, 0))
    assert _own(world.root) == _own(world.a) == (0, 0)  # own members only, not the subtree
    world.add(world.b, "Đỗ Văn Nam")
    world.add(world.b, "Vũ Thị Mai", sex="F", admitted=date(2025, 10, 1), official=None)
    assert _own(world.b) == (1, 2)
    assert_consistent()


def test_recognition_moves_probationary_to_official(world):
    _event(world.hoa, "recognition", date(2026, 9, 2))
    assert _own(world.b) == (1, 0)
    assert_consistent()


def test_internal_transfer_moves_the_count(world):
    _event(world.hung, "transfer_internal", date(2026, 1, 5), to_org=world.b)
    _event(world.hoa, "transfer_internal", date(2026, 1, 5), to_org=world.a2)
    assert (_own(world.a1), _own(world.a2), _own(world.b)) == ((0, 0), (1, 1), (1, 0))
    assert_consistent()


def test_transfer_out_and_back_in(world):
    _event(world.lan, "transfer_out", date(2026, 1, 5), place="Đảng bộ tỉnh Yên Bái")
    _event(world.hoa, "transfer_out", date(2026, 1, 5), place="Đảng bộ tỉnh Lào Cai")
    assert _own(world.a2) == _own(world.b) == (0, 0)
    assert_consistent()
    _event(world.lan, "transfer_in", date(2026, 6, 1), details={"status": "official"})
    assert _own(world.a2) == (1, 0)
    assert_consistent()


def test_temporary_transfer_does_not_move_counts(world):
    before = _counters()
    _event(world.hung, "temp_transfer_out", date(2026, 1, 5), to_org=world.b, end_date=date(2026, 7, 5))
    _event(world.hoa, "temp_transfer_out", date(2026, 1, 5), place="Trường Chính trị tỉnh", end_date=date(2026, 5, 1))
    assert _counters() == before  # never counted at the host (MEM-5)
    _event(world.hung, "temp_transfer_return", date(2026, 7, 5))
    assert _counters() == before
    assert_consistent()


def test_exemption_stays_official_and_final_states_leave(world):
    before = _counters()
    _event(world.hung, "exemption", date(2026, 1, 5))
    assert _counters() == before  # exempt still counts as official
    _event(world.hung, "exemption_end", date(2026, 3, 1))
    assert _counters() == before
    _event(world.lan, "death", date(2026, 1, 5))
    _event(world.hoa, "discipline", date(2026, 1, 5), details={"level": "warning"})  # stays probationary
    _event(world.stranger, "discipline", date(2026, 1, 5), details={"level": "expulsion"})
    assert (_own(world.a1), _own(world.a2), _own(world.b), _own(world.x1)) == ((1, 0), (0, 0), (0, 1), (0, 0))
    assert_consistent()


def test_removal_and_readmission(world):
    _event(world.hoa, "removal", date(2026, 1, 5))
    assert _own(world.b) == (0, 0)
    _event(world.hoa, "admission", date(2026, 6, 1))
    assert _own(world.b) == (0, 1)
    assert_consistent()


def test_refused_event_changes_no_counter(world):
    before = _counters()
    with pytest.raises(InvalidInput):
        _event(world.hung, "transfer_internal", date(2026, 1, 5), to_org=world.a1)  # same organisation
    with pytest.raises(InvalidInput):
        _event(world.hoa, "exemption", date(2026, 1, 5))  # probationary members are not exempted
    assert _counters() == before
    assert_consistent()


def test_org_merge_moves_members_counts(world):
    world.add(world.a1, "Đỗ Văn Nam", admitted=date(2025, 9, 1), official=None)
    new = org_merge(actor=None, sources=[world.a1, world.a2], code="A12", name="Chi bộ A1-A2", kind="cell",
                    parent=world.a, on=date(2026, 1, 1), decision_number="15-QĐ/ĐU", decision_date=date(2025, 12, 20))
    assert _own(new) == (2, 1) and _own(world.a1) == _own(world.a2) == (0, 0)
    assert org_member_counts(org=world.a) == {"official": 2, "probationary": 1}
    assert_consistent()


def test_counts_apply_and_rebuild_repair(world):
    counts_apply(None, None, world.b.pk, "official")  # e.g. a bulk load that bypassed the services
    counts_apply(world.a1.pk, "official", world.a1.pk, "exempt")  # same bucket: nothing to do
    assert _own(world.b) == (1, 1) and _own(world.a1) == (1, 0)
    assert counts_rebuild(dry_run=True) == [world.b.pk]
    assert counts_rebuild(org_ids=[world.a1.pk]) == []
    assert counts_rebuild() == [world.b.pk]
    assert _own(world.b) == (0, 1)
    assert_consistent()


def test_recount_command(world):
    Organization.objects.filter(pk=world.a2.pk).update(official_count=7)
    with pytest.raises(CommandError, match="1 tổ chức"):
        call_command("recount", "--check", stdout=StringIO())
    out = StringIO()
    call_command("recount", stdout=out)
    assert "1 tổ chức" in out.getvalue() and _own(world.a2) == (1, 0)
    call_command("recount", "--check", stdout=StringIO())


def _tree_from_members(user) -> dict[int, tuple[int, int]]:
    """What org_tree used to compute: subtree counts straight from the member rows."""
    out = {}
    for row in org_tree(user=user):
        qs = Member.objects.filter(org_path__startswith=row["org"].path, state__in=COUNTED_STATES)
        out[row["org"].pk] = (qs.exclude(state="probationary").count(), qs.filter(state="probationary").count())
    return out


def test_tree_and_subtree_counts_sum_the_counters(world, django_assert_max_num_queries):
    _event(world.hung, "transfer_internal", date(2026, 1, 5), to_org=world.a2)
    with django_assert_max_num_queries(3):  # scope + organisations; no member query
        rows = org_tree(user=world.office)
    assert [r["org"].code for r in rows] == ["ROOT", "A", "A1", "A2", "B"]
    assert [r["level"] for r in rows] == [0, 1, 2, 2, 1]
    assert {r["org"].code: (r["official"], r["probationary"]) for r in rows} == {
        "ROOT": (2, 1), "A": (2, 0), "A1": (0, 0), "A2": (2, 0), "B": (0, 1)}
    assert {r["org"].pk: (r["official"], r["probationary"]) for r in rows} == _tree_from_members(world.office)
    secretary_rows = org_tree(user=world.secretary)
    assert [(r["org"].code, r["level"], r["official"]) for r in secretary_rows] == [("A", 0, 2), ("A1", 1, 0),
                                                                                  ("A2", 1, 2)]
    assert org_member_counts(org=world.root) == {"official": 2, "probationary": 1}
    assert org_member_counts(org=world.a1) == {"official": 0, "probationary": 0}
    assert org_member_counts(org=world.other) == {"official": 1, "probationary": 0}


# --------------------------------------------------------------------------------------------------
# Random allowed events to random members: the counters always equal the rebuild
# --------------------------------------------------------------------------------------------------

step = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_random_allowed_events_keep_counters_equal_to_rebuild(world, steps):
    cells = [world.a1, world.a2, world.b, world.x1]
    with transaction.atomic():  # each example starts from the fixture's world
        members = list(Member.objects.order_by("pk"))
        on = date(2026, 1, 1)
        for i, (who, which, pick) in enumerate(steps):
            on = add_months(on, 1) if i % 3 == 2 else on
            if who % 7 == 0:  # now and then a new member in a random cell
                members.append(world.add(cells[pick % len(cells)], f"Nguyễn Văn Thứ{i}", admitted=date(2025, 3, 1),
                                         official=None if pick % 2 else date(2026, 3, 2)))
                continue
            member = Member.objects.get(pk=members[who % len(members)].pk)
            kinds = allowed_events(member.state or None, member.away)
            if not kinds:
                continue
            kind = kinds[which % len(kinds)]
            try:
                _event(member, kind, on, **event_kwargs(kind, member, on, pick, cells))
                event(f"recorded {kind}")  # --hypothesis-show-statistics
            except InvalidInput:
                event("refused")  # by the services (same organisation, date order ...): nothing changes
            assert _counters() == _from_members()
        assert counts_rebuild(dry_run=True) == []
        transaction.set_rollback(True)


def test_tree_limited_to_first_levels_keeps_subtree_counts(world):
    from dangbo.orgs.selectors import org_tree

    full = {r["org"].code: r for r in org_tree(user=world.office)}
    top = {r["org"].code: r for r in org_tree(user=world.office, max_level=1)}
    assert set(top) == {"ROOT", "A", "B"} and set(full) == {"ROOT", "A", "A1", "A2", "B"}
    assert top["A"]["official"] == full["A"]["official"] == 2
