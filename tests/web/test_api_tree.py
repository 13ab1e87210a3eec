"""GET /api/orgs/ at the nation's scale: a tree larger than API_TREE_ROWS is listed down to the
deepest level that fits, each cut row saying how many organisations lie below it (`hidden`) with the
counts of its whole subtree; `root` starts the tree at an organisation inside the scope, `levels`
limits the depth. A small tree is listed whole, as before."""

import pytest
from django.test import Client

from dangbo.orgs import api as orgs_api


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def listed(client, **params):
    r = client.get("/api/orgs/", params)
    assert r.status_code == 200, r.content
    return {o["code"]: (o["official"], o["probationary"], o["hidden"]) for o in r.json()}


def test_a_small_tree_is_listed_whole(world):
    assert listed(client_for(world.office)) == {
        "ROOT": (2, 1, 0), "A": (2, 0, 0), "A1": (1, 0, 0), "A2": (1, 0, 0), "B": (0, 1, 0)}


def test_a_large_tree_stops_at_the_level_that_fits_with_its_counts_and_what_is_hidden(world, monkeypatch):
    monkeypatch.setattr(orgs_api, "API_TREE_ROWS", 3)  # ROOT, A, B fit; A1 and A2 do not
    assert listed(client_for(world.office)) == {"ROOT": (2, 1, 0), "A": (2, 0, 2), "B": (0, 1, 0)}
    monkeypatch.setattr(orgs_api, "API_TREE_ROWS", 1)  # at least one level below the top
    assert set(listed(client_for(world.office))) == {"ROOT", "A", "B"}


def test_levels_and_root_open_the_tree_where_asked(world):
    office = client_for(world.office)
    assert listed(office, levels=0) == {"ROOT": (2, 1, 4)}
    assert listed(office, levels=1) == {"ROOT": (2, 1, 0), "A": (2, 0, 2), "B": (0, 1, 0)}
    assert listed(office, levels=9) == listed(office)
    assert listed(office, root=world.a.id) == {"A": (2, 0, 0), "A1": (1, 0, 0), "A2": (1, 0, 0)}
    assert listed(office, root=world.a.id, levels=0) == {"A": (2, 0, 2)}


@pytest.mark.parametrize("who, where", [("secretary", "b"), ("secretary", "root"), ("office", "x1")])
def test_root_outside_the_scope_is_not_found(world, who, where):
    assert client_for(getattr(world, who)).get("/api/orgs/", {"root": getattr(world, where).id}).status_code == 404


@pytest.mark.parametrize("params", [{"levels": -1}, {"levels": "x"}, {"root": 0}, {"root": "abc"}])
def test_bad_parameters_are_refused(world, params):
    r = client_for(world.office).get("/api/orgs/", params)
    assert r.status_code in (400, 422) and not any(o.get("code") for o in (r.json() if isinstance(r.json(), list) else []))


def test_a_member_sees_no_tree(world):
    assert client_for(world.member_user).get("/api/orgs/").json() == []


@pytest.mark.parametrize("params", [{}, {"levels": 1}, {"levels": 0}])
def test_the_body_is_the_one_the_schema_would_render(world, monkeypatch, params):
    """The rows skip django-ninja's per-row validation (issue 14): the bytes equal those of the rows
    validated against `list[OrgOut]` and rendered by the API, as before."""
    from pydantic import TypeAdapter

    from dangbo.api import api

    world.add(world.b, "Vũ Thị Mai", sex="F")
    for who in ("office", "secretary"):
        r = client_for(getattr(world, who)).get("/api/orgs/", params)
        validated = TypeAdapter(list[orgs_api.OrgOut]).validate_python(r.json())
        expected = api.renderer.render(None, [o.model_dump() for o in validated], response_status=200)
        assert r.content == expected.encode() and r["Content-Type"] == api.get_content_type()
        assert r.json() and all(list(o) == list(orgs_api.OrgOut.model_fields) for o in r.json())
