"""The procedures tests' fixtures beyond tests/conftest.py's world."""

from datetime import date

import pytest

from dangbo.orgs.services import org_found


@pytest.fixture
def tree(world):
    """The test world with a second grassroots committee under the root, and one under the other
    committee, each with a cell: somewhere to move, merge and split to."""
    d = date(2025, 7, 1)
    world.c = org_found(actor=None, code="C", name="Đảng bộ cơ sở C", kind="grassroots_committee",
                        parent=world.root, on=d)
    world.c1 = org_found(actor=None, code="C1", name="Chi bộ C1", kind="cell", parent=world.c, on=d)
    world.y = org_found(actor=None, code="Y", name="Đảng bộ cơ sở Y", kind="grassroots_committee",
                        parent=world.other, on=d)
    world.y1 = org_found(actor=None, code="Y1", name="Chi bộ Y1", kind="cell", parent=world.y, on=d)
    return world
