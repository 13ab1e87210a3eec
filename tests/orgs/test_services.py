"""Organisation services: founding, renaming, moving, dissolving, merging and splitting, with history
kept (ORG-1, ORG-3)."""

from datetime import date

import pytest

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member, MemberEvent
from dangbo.orgs.models import Organization, OrgEvent
from dangbo.orgs.services import (
    org_dissolve,
    org_event_record,
    org_found,
    org_merge,
    org_move,
    org_rename,
    org_split,
)

ON = date(2026, 1, 1)
DECISION = {"decision_number": "15-QĐ/ĐU", "decision_date": date(2025, 12, 20)}


def _counts():
    return (Organization.objects.count(), OrgEvent.objects.count(), AuditEvent.objects.count(),
            MemberEvent.objects.count())


def _refused(field, fn, **kw):
    """Call a service that must refuse: InvalidInput naming `field`, and nothing saved."""
    before = _counts()
    with pytest.raises(InvalidInput) as exc:
        fn(**kw)
    assert exc.value.field == field, (exc.value.field, exc.value.message)
    assert _counts() == before
    return exc.value.message


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


# --- merge -----------------------------------------------------------------------------------------


def test_merge_two_cells_moves_members_and_ends_the_sources(world):
    """ORG-3: the new cell cites both sources; each source ends with a merge event relating it."""
    new = org_merge(actor=world.office, sources=[world.a1, world.a2], code="A12", name="Chi bộ A1-A2",
                    kind="cell", parent=world.a, on=ON, **DECISION)
    assert new.valid_from == ON and new.path.startswith(world.a.path)
    found = new.events.get(kind="found")
    assert set(found.related.all()) == {world.a1, world.a2} and found.decision_number == "15-QĐ/ĐU"
    for src in (world.a1, world.a2):
        src.refresh_from_db()
        assert src.valid_to == ON
        ev = src.events.get(kind="merge")
        assert list(ev.related.all()) == [new] and ev.decision_date == date(2025, 12, 20)
    for m in (world.hung, world.lan):
        m.refresh_from_db()
        assert m.organization == new and m.org_path == new.path
        ev = m.events.get(kind="transfer_internal")
        assert (ev.to_org, ev.decision_number) == (new, "15-QĐ/ĐU")
    assert {ev.from_org_id for ev in MemberEvent.objects.filter(kind="transfer_internal")} == {world.a1.id, world.a2.id}
    actions = list(AuditEvent.objects.filter(actor=world.office).values_list("action", flat=True))
    assert sorted(actions) == ["member.transfer_internal"] * 2 + ["org.found", "org.merge", "org.merge"]


def test_merge_grassroots_committees_carries_their_cells(world):
    other = org_found(actor=None, code="G", name="Đảng bộ cơ sở G", kind="grassroots_committee", parent=world.root,
                      on=date(2025, 8, 1))
    g1 = org_found(actor=None, code="G1", name="Chi bộ G1", kind="cell", parent=other, on=date(2025, 8, 1))
    new = org_merge(actor=None, sources=[world.a, other], code="AG", name="Đảng bộ cơ sở AG",
                    kind="grassroots_committee", parent=world.root, on=ON, **DECISION)
    for cell in (world.a1, world.a2, g1):
        cell.refresh_from_db()
        assert cell.parent == new and cell.path.startswith(new.path) and cell.valid_to is None
        assert cell.events.get(kind="move").decision_number == "15-QĐ/ĐU"
    world.hung.refresh_from_db()
    assert world.hung.organization == world.a1 and world.hung.org_path == world.a1.path  # stays in its cell


def test_merge_into_a_committee_refuses_sources_with_members(world):
    msg = _refused("kind", org_merge, actor=None, sources=[world.b, world.a1], code="Q", name="Đảng bộ Q",
                   kind="grassroots_committee", parent=world.root, on=ON, **DECISION)
    assert "Chi bộ cơ sở B" in msg and "chuyển sinh hoạt" in msg


def test_merge_refusals_name_their_field(world):
    base = {"actor": None, "code": "N", "name": "Chi bộ N", "kind": "cell", "parent": world.a, "on": ON, **DECISION}
    _refused("sources", org_merge, **{**base, "sources": [world.a1]})
    _refused("sources", org_merge, **{**base, "sources": [world.a1, world.a1]})
    _refused("code", org_merge, **{**base, "sources": [world.a1, world.a2], "code": "B"})
    _refused("parent", org_merge, **{**base, "sources": [world.a1, world.a2], "parent": world.root})
    _refused("parent", org_merge, **{**base, "sources": [world.a, world.b], "kind": "grassroots_committee",
                                      "parent": world.a})
    _refused("decision_number", org_merge, **{**base, "sources": [world.a1, world.a2], "decision_number": "abc"})
    _refused("decision_number", org_merge, **{**base, "sources": [world.a1, world.a2], "decision_number": "",
                                              "require_decision": True})
    _refused("decision_date", org_merge, **{**base, "sources": [world.a1, world.a2], "decision_date": None,
                                            "require_decision": True})
    org_dissolve(actor=None, org=org_found(actor=None, code="E", name="Chi bộ E", kind="cell", parent=world.a,
                                           on=date(2025, 8, 1)), on=date(2025, 9, 1))
    gone = Organization.objects.get(code="E")
    _refused("sources", org_merge, **{**base, "sources": [world.a1, gone]})


def test_merge_is_all_or_nothing_when_a_member_cannot_move(world):
    """The transfer of the second source's member fails late (date before her last event): the new
    organisation, the first member's transfer and every event and audit row roll back."""
    world.add(world.a2, "Võ Thị Thu", admitted=date(2025, 12, 1), official=None)
    msg = _refused("date", org_merge, actor=None, sources=[world.a1, world.a2], code="N", name="Chi bộ N",
                   kind="cell", parent=world.a, on=date(2025, 11, 1), decision_number="15-QĐ/ĐU",
                   decision_date=date(2025, 10, 20))  # signed before it takes effect (members' rule)
    assert "Võ Thị Thu" in msg
    world.hung.refresh_from_db()
    assert world.hung.organization == world.a1 and not Organization.objects.filter(code="N").exists()


# --- split -----------------------------------------------------------------------------------------


def test_split_founds_the_parts_and_ends_the_source(world):
    src = org_found(actor=None, code="S", name="Chi bộ S", kind="cell", parent=world.a, on=date(2025, 8, 1))
    parts = org_split(actor=world.office, source=src, parent=world.a, on=ON, **DECISION,
                      parts=[{"code": "S1", "name": "Chi bộ S1", "kind": "cell"},
                             {"code": "S2", "name": "Chi bộ S2", "kind": "cell"}])
    assert [p.code for p in parts] == ["S1", "S2"]
    for p in parts:
        assert p.parent == world.a and p.valid_from == ON
        assert list(p.events.get(kind="found").related.all()) == [src]
    src.refresh_from_db()
    assert src.valid_to == ON
    ev = src.events.get(kind="split")
    assert set(ev.related.all()) == set(parts) and ev.decision_number == "15-QĐ/ĐU"
    assert AuditEvent.objects.filter(action="org.split", object_id=str(src.pk)).count() == 1


def test_split_refusals(world):
    parts = [{"code": "P1", "name": "Chi bộ P1", "kind": "cell"}, {"code": "P2", "name": "Chi bộ P2", "kind": "cell"}]
    base = {"actor": None, "parent": world.a, "on": ON, "parts": parts, **DECISION}
    msg = _refused("source", org_split, **{**base, "source": world.a1})
    assert "1 đảng viên" in msg and "chuyển sinh hoạt" in msg
    assert "tổ chức trực thuộc" in _refused("source", org_split, **{**base, "source": world.a, "parent": world.root})
    empty = org_found(actor=None, code="E", name="Chi bộ E", kind="cell", parent=world.a, on=date(2025, 8, 1))
    _refused("parts", org_split, **{**base, "source": empty, "parts": parts[:1]})
    _refused("parts", org_split, **{**base, "source": empty, "parts": [parts[0], parts[0]]})
    # the second part is refused after the first was founded: nothing stays
    _refused("parts.1.code", org_split, **{**base, "source": empty,
                                           "parts": [parts[0], {"code": "B", "name": "Trùng mã", "kind": "cell"}]})
    _refused("parts.0.parent", org_split, **{**base, "source": empty, "parent": world.root})
    _refused("decision_number", org_split, **{**base, "source": empty, "decision_number": "",
                                              "require_decision": True})


# --- the decision requirement and the dispatcher -----------------------------------------------------


def test_required_decision_follows_the_setting(world, settings):
    """ORG-3 (med): a setting names the events that must cite a decision; default every event."""
    kw = {"actor": None, "org": world.b, "name": "Chi bộ cơ sở B mới", "on": ON, "require_decision": True}
    msg = _refused("decision_number", org_rename, **kw)
    assert "đổi tên" in msg
    settings.DANGBO_RULES = {**settings.DANGBO_RULES, "events_requiring_document": ["found", "dissolve"]}
    org_rename(**kw)
    assert world.b.events.get(kind="rename").decision_number == ""


def test_event_record_dispatches_and_refuses_unknown_kind(world):
    org, created = org_event_record(actor=None, org=world.b, kind="rename", name="Chi bộ cơ sở B2", on=ON, **DECISION)
    assert org.name == "Chi bộ cơ sở B2" and created == []
    _refused("kind", org_event_record, actor=None, org=world.b, kind="explode", on=ON, **DECISION)
    _refused("org", org_event_record, actor=None, org=world.a, kind="dissolve", on=ON, **DECISION)
    _refused("result.kind", org_event_record, actor=None, org=world.a1, kind="merge", sources=[world.a2],
             parent=world.a, result={"code": "Q", "name": "Q", "kind": "nonsense"}, on=ON, **DECISION)
    org, created = org_event_record(actor=None, org=world.a1, kind="merge", sources=[world.a2], parent=world.a,
                                    result={"code": "Q", "name": "Chi bộ Q", "kind": "cell"}, on=ON, **DECISION)
    assert org.valid_to == ON and [o.code for o in created] == ["Q"]


def test_rename_and_move_refuse_no_change(world):
    _refused("name", org_rename, actor=None, org=world.b, name="Chi bộ cơ sở B", on=ON)
    _refused("parent", org_move, actor=None, org=world.a1, parent=world.a, on=ON)
    _refused("parent", org_move, actor=None, org=world.a1, parent=None, on=ON)


# -- every text checked (control, zero-width, bidi characters; lengths), dates bounded -----------


def test_found_refuses_invisible_characters_in_every_text_at_once(world):
    from dangbo.core.errors import InvalidInput
    from dangbo.orgs.models import Organization, OrgEvent
    from dangbo.orgs.services import org_found

    n = (Organization.objects.count(), OrgEvent.objects.count())
    with pytest.raises(InvalidInput) as exc:
        org_found(actor=None, code="C\x00", name="Chi bộ\u200b Mới", kind="cell", parent=world.a,
                  on=date(2026, 1, 5), note="\u202e")
    assert set(exc.value.errors) == {"code", "name", "note"}
    assert "Tên" in exc.value.errors["name"]
    assert (Organization.objects.count(), OrgEvent.objects.count()) == n


@pytest.mark.parametrize("kw, field", [
    ({"decision_number": "10-QĐ/TU\x00"}, "decision_number"),
    ({"on": date(1, 1, 1)}, "date"),
    ({"on": date(9999, 12, 31)}, "date"),
    ({"decision_date": date(1, 1, 1)}, "decision_date"),
])
def test_rename_refuses_bad_decision_and_dates(world, kw, field):
    from dangbo.core.errors import InvalidInput
    from dangbo.orgs.services import org_rename

    args = {"name": "Chi bộ A1 mới", "on": date(2026, 1, 5), **kw}
    with pytest.raises(InvalidInput) as exc:
        org_rename(actor=None, org=world.a1, **args)
    assert exc.value.field == field
    world.a1.refresh_from_db()
    assert world.a1.name == "Chi bộ A1"
