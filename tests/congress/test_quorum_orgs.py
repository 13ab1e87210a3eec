"""CON-1: 2/3 of the *subordinate organisations in the tree* — the congress organisation's direct
subordinates in force on the congress date — must have delegates present, not 2/3 of the delegations
that happen to have delegates (Điều lệ Đảng, Điều 11.6)."""

from datetime import date

from django.test import Client

from dangbo.congress import selectors, services
from dangbo.congress.models import APPOINTED
from dangbo.orgs.services import org_dissolve, org_found

DAY = date(2025, 7, 28)


def _congress(world, people):
    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                 name="Đại hội đại biểu", start_date=DAY)
    ds = [services.delegate_add(actor=None, congress=c, member=m, obtained=APPOINTED) for m in people]
    for d in ds:
        services.delegate_check_in(actor=None, congress=c, delegate=d)
    return c


def test_organisations_without_delegates_count(world):
    """Root has two subordinates in force (A, B); every delegate comes from A: 1 of 2 < ⌈4/3⌉ = 2."""
    c = _congress(world, [world.hung, world.lan])
    q = selectors.quorum(c)
    assert (q.summoned, q.present, q.orgs_total, q.orgs_present) == (2, 2, 2, 1)
    assert q.delegates_ok and not q.orgs_ok and not q.valid
    assert "1 tổ chức" in selectors.quorum_missing(q)[-1]


def test_only_organisations_in_force_on_the_congress_date(world):
    c = _congress(world, [world.hung, world.lan])
    # C founded after the congress: not one of its organisations; D dissolved before it: neither;
    # E dissolved after the congress day: it was in force then and counts
    org_found(actor=None, code="C", name="Chi bộ cơ sở C", kind="grassroots_cell", parent=world.root,
              on=date(2025, 8, 15))
    d = org_found(actor=None, code="D", name="Chi bộ cơ sở D", kind="grassroots_cell", parent=world.root,
                  on=date(2025, 7, 1))
    org_dissolve(actor=None, org=d, on=date(2025, 7, 20))
    e = org_found(actor=None, code="E", name="Chi bộ cơ sở E", kind="grassroots_cell", parent=world.root,
                  on=date(2025, 7, 1))
    org_dissolve(actor=None, org=e, on=date(2025, 7, 29))
    assert [o.code for o in selectors.subordinate_orgs(c)] == ["A", "B", "E"]
    q = selectors.quorum(c)
    assert (q.orgs_total, q.orgs_present, q.need_orgs) == (3, 1, 2)


def test_delegate_of_a_lower_organisation_counts_for_its_subordinate(world):
    """A delegate recorded with a deeper delegation (cell A1) counts for A, the subordinate above it."""
    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="t", name="n",
                                 start_date=DAY)
    hung = services.delegate_add(actor=None, congress=c, member=world.hung, from_org=world.a1)
    lan = services.delegate_add(actor=None, congress=c, member=world.add(world.b, "Đỗ Văn Nam"))
    for d in (hung, lan):
        services.delegate_check_in(actor=None, congress=c, delegate=d)
    q = selectors.quorum(c)
    assert (q.orgs_total, q.orgs_present, q.valid) == (2, 2, True)


def test_quorum_page_lists_organisations_without_delegates(world):
    c = _congress(world, [world.hung, world.lan])
    client = Client()
    client.force_login(world.office)
    page = client.get(f"/dai-hoi/{c.id}/tu-cach/").content.decode()
    assert "Đảng bộ cơ sở A" in page and "Chi bộ cơ sở B" in page
    assert "Tổ chức có đại biểu dự: <b>1</b>/2" in page
    rows = {r["org"].code: (r["present"], r["summoned"]) for r in selectors.delegations(c)}
    assert rows == {"A": (2, 2), "B": (0, 0)}
