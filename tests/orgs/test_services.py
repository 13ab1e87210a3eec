"""Organisation services: founding, renaming, moving and dissolving, with history kept."""

from datetime import date

import pytest

from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.orgs.models import OrgEvent
from dangbo.orgs.services import org_dissolve, org_found, org_move, org_rename


def test_paths_nest(world):
    assert world.a1.path.startswith(world.a.path) and world.a.path.startswith(world.root.path)
    assert world.a1.depth == 2


def test_parent_kind_is_checked(world):
    with pytest.raises(InvalidInput) as exc:
        org_found(actor=None, code="C9", name="Chi bộ lạc", kind="cell", parent=world.root, on=date(2025, 7, 1))
    assert exc.value.field == "parent"


def test_decision_number_is_validated_and_normalised(world):
    org = org_found(actor=None, code="N", name="Chi bộ mới", kind="grassroots_cell", parent=world.root,
                    on=date(2025, 8, 1), decision_number=" 5-QĐ/ĐU ")
    assert org.events.get().decision_number == "05-QĐ/ĐU"
    with pytest.raises(InvalidInput) as exc:
        org_found(actor=None, code="M", name="Chi bộ sai", kind="grassroots_cell", parent=world.root,
                  on=date(2025, 8, 1), decision_number="quyết định abc")
    assert exc.value.field == "decision_number"


def test_rename_keeps_history(world):
    org_rename(actor=None, org=world.b, name="Chi bộ cơ sở B mới", on=date(2026, 1, 1), decision_number="12-QĐ/ĐU")
    ev = world.b.events.get(kind="rename")
    assert ev.details == {"old_name": "Chi bộ cơ sở B", "new_name": "Chi bộ cơ sở B mới"}


def test_move_carries_subtree_and_members(world):
    new_parent = org_found(actor=None, code="Z", name="Đảng bộ Z", kind="committee", parent=world.root, on=date(2026, 1, 1))
    org_move(actor=None, org=world.a, parent=new_parent, on=date(2026, 1, 2))
    world.a1.refresh_from_db()
    assert world.a1.path.startswith(new_parent.path)
    assert Member.objects.get(pk=world.hung.pk).org_path == world.a1.path
    with pytest.raises(InvalidInput):
        org_move(actor=None, org=new_parent, parent=world.a1, on=date(2026, 1, 3))


def test_cannot_dissolve_with_active_members(world):
    with pytest.raises(InvalidInput):
        org_dissolve(actor=None, org=world.b, on=date(2026, 1, 1))
    empty = org_found(actor=None, code="E", name="Chi bộ E", kind="grassroots_cell", parent=world.root, on=date(2025, 8, 1))
    org_dissolve(actor=None, org=empty, on=date(2026, 1, 1), kind="merge", successor=world.b)
    empty.refresh_from_db()
    assert empty.valid_to == date(2026, 1, 1)
    assert OrgEvent.objects.get(organization=empty, kind="merge").related.get() == world.b
