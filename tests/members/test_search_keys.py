"""The name index without re-reading it (members.search.keys_sync, session 9): a member loaded from the
database remembers the columns its keys are made of, so a save that leaves them unchanged reads and
writes no key row; whatever the sequence of saves, renames, moves, partial saves and rolled-back
writes, the index stays equal to the members (`keys_check`)."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member, NameKey
from dangbo.members.search import keys_check
from dangbo.members.services import member_event_record, member_update
from dangbo.text.collation import name_sort_string
from dangbo.text.vietnamese import fold, split_name


def _key_reads(queries) -> int:
    return sum(1 for q in queries if q["sql"].lstrip().upper().startswith("SELECT") and "namekey" in q["sql"].lower())


def test_a_loaded_member_saved_unchanged_reads_no_key_row(world):
    member = Member.objects.get(pk=world.hung.pk)
    member.workplace = "Sở Tư pháp"
    with CaptureQueriesContext(connection) as saved:
        member.save()
    assert _key_reads(saved.captured_queries) == 0
    assert not [q for q in saved.captured_queries if "namekey" in q["sql"].lower()]
    assert keys_check() == []


def test_a_member_not_loaded_reads_its_keys_as_before(world):
    member = world.hung  # created by member_create, never loaded: what its key rows hold is not known
    with CaptureQueriesContext(connection) as saved:
        member.save()
    assert _key_reads(saved.captured_queries) == 1 and keys_check() == []


def test_a_rename_replaces_the_rows_and_the_next_save_reads_them(world):
    member = Member.objects.get(pk=world.hung.pk)
    member_update(actor=None, member=member, profile={"full_name": "Nguyễn Văn Thịnh"})
    assert set(NameKey.objects.filter(member=member).values_list("key", flat=True)) == {
        "nguyen van thinh", "van thinh", "thinh"}
    with CaptureQueriesContext(connection) as saved:
        member.save()  # written once: the instance no longer claims to know the rows
    assert _key_reads(saved.captured_queries) == 1 and keys_check() == []


def test_a_rolled_back_rename_is_not_taken_for_the_stored_keys(world):
    member = Member.objects.get(pk=world.hung.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        member_update(actor=None, member=member, profile={"full_name": "Nguyễn Văn Thịnh"})
        raise RuntimeError  # the rename and its key rows are taken back; the instance keeps the name
    assert set(NameKey.objects.filter(member=member).values_list("key", flat=True)) == {
        "nguyen van hung", "van hung", "hung"}
    member.save()  # the new name reaches the row now: its keys must follow
    assert keys_check() == [] and "thinh" in NameKey.objects.filter(member=member).values_list("key", flat=True)


NAMES = ["Nguyễn Văn Hùng", "Trần Thị Minh Khai", "Lê Hưng", "Đỗ Anh", "Phạm Văn Thịnh", "Vũ Thị Lan"]
FIELDS = ["full_name", "name_folded", "name_sort", "org_path", "workplace"]


def _set_name(member: Member, name: str) -> None:
    member.full_name = name
    member.surname, member.middle_name, member.given_name = split_name(name)
    member.name_folded = fold(name)
    member.name_sort = name_sort_string(member.surname, member.middle_name, member.given_name)


step = st.tuples(st.integers(0, 8), st.integers(0, 10_000), st.integers(0, 10_000))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=20))
def test_random_writes_keep_the_index_equal_to_the_members(world, steps):
    """Property: held instances (as callers keep them) go through renames by the service, transfers,
    organisation moves, full and partial saves of random columns, refreshes and writes rolled back by
    a savepoint; after every step the key rows equal the members' names and places."""
    from dangbo.orgs.services import org_found, org_move

    with transaction.atomic():  # each example starts from the fixture's world
        c = org_found(actor=None, code="C", name="Đảng bộ cơ sở C", kind="grassroots_committee",
                      parent=world.root, on=date(2026, 1, 6))
        cells = [world.a1, world.a2, world.b]
        held = list(Member.objects.order_by("pk"))
        for op, who, pick in steps:
            i = who % len(held)
            member = held[i]
            if op == 0:  # a rename through the service, on the caller's object
                member_update(actor=None, member=member, profile={"full_name": NAMES[pick % len(NAMES)]})
            elif op == 1:  # a transfer: the service re-reads the member; the caller re-reads after it
                try:
                    member_event_record(actor=None, member=member, kind="transfer_internal", on=date(2026, 1, 7),
                                        to_org=cells[pick % len(cells)], today=date(2026, 1, 7))
                except InvalidInput:
                    event("transfer refused")
                held[i] = Member.objects.get(pk=member.pk)
            elif op == 2:  # a full save, sometimes of a changed name or place
                if pick % 3 == 0:
                    _set_name(member, NAMES[pick % len(NAMES)])
                elif pick % 3 == 1:
                    member.org_path = cells[pick % len(cells)].path
                member.workplace = f"Nơi {pick}"
                member.save()
            elif op == 3:  # a partial save of some columns, others changed in memory only
                _set_name(member, NAMES[pick % len(NAMES)])
                member.org_path = cells[(pick // 7) % len(cells)].path
                fields = [f for n, f in enumerate(FIELDS) if pick >> n & 1] or ["workplace"]
                member.save(update_fields=fields)
                event(f"partial save of {len(fields)}")
            elif op == 4:  # an organisation moves: every held object is re-read after it
                cell = (world.a2, world.a1)[pick % 2]
                parent = c if cell.parent_id == world.a.pk else world.a
                org_move(actor=None, org=cell, parent=parent, on=date(2026, 1, 8))
                for o in (world.a1, world.a2):
                    o.refresh_from_db()
                held = [Member.objects.get(pk=m.pk) for m in held]
            elif op == 5:  # a refresh of some columns (a deferred column's first read does this)
                member.refresh_from_db(fields=[f for n, f in enumerate(FIELDS) if pick >> n & 1] or None)
            elif op == 6:  # a rename rolled back by a savepoint; the object keeps the new name in memory
                try:
                    with transaction.atomic():
                        member_update(actor=None, member=member, profile={"full_name": NAMES[pick % len(NAMES)]})
                        raise RuntimeError
                except RuntimeError:
                    event("rolled back")
            elif op == 7:  # a fresh object saved as loaded
                held[i] = Member.objects.get(pk=member.pk)
                held[i].save()
            else:  # an object loaded with its key columns deferred, saved in full
                held[i] = Member.objects.defer("name_folded", "org_path").get(pk=member.pk)
                if pick % 2:
                    _set_name(held[i], NAMES[pick % len(NAMES)])
                held[i].save()
            assert keys_check() == [], (op, pick)
        transaction.set_rollback(True)
