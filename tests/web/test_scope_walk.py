"""Walk every URL and API route as every role: nothing outside the user's scope may show.

The walker reads the URL map itself, so a new route is walked without editing this file; a route
with a parameter the walker cannot fill fails the test until it learns that parameter.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.scope_params import providers

# The walker checks each route's answer per role (the scope rules are Python over the same ORM reads
# the apps' own PostgreSQL tests run); walking ~270 s again on PostgreSQL bought nothing (make test's
# 30-minute budget, docs/PERFORMANCE.md «The test run's time»).
pytestmark = pytest.mark.sqlite_only

SKIP_PREFIXES = ("quan-tri/", "static/", "dang-xuat/")  # Django admin is walked separately (staff only)
PUBLIC = ("/api/openapi.json", "/api/docs", "/dang-nhap/")  # carry no registry data
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route.lstrip("^").rstrip("$")


def _names(w):
    """Names of every organisation and member, by object."""
    orgs = {o: o.name for o in (w.root, w.a, w.a1, w.a2, w.b, w.other, w.x1)}
    members = {m: m.full_name for m in (w.hung, w.lan, w.hoa, w.stranger)}
    return orgs, members


def _congresses(w):
    """A congress of the committee, of grassroots committee A and of the outsider tree, each with
    delegates, so the congress pages have names to leak: {congress: its organisation}."""
    from datetime import date

    from dangbo.congress.services import congress_create, delegate_add

    out = {}
    for org, people in ((w.root, (w.hung, w.lan)), (w.a, (w.hung, w.lan)), (w.other, (w.stranger,))):
        c = congress_create(actor=None, organization=org, kind="delegates", term="2025–2030",
                            name=f"Đại hội {org.code}", start_date=date(2025, 7, 28))
        for m in people:
            delegate_add(actor=None, congress=c, member=m, obtained="appointed")
        out[c] = org
    return out


def _election_ids(w, congresses):
    """Paper-ballot elections: one round per congress, with a candidate named after the organisation.
    Visible: office staff and secretaries covering the congress's organisation; members none."""
    from dangbo.elections.services import election_create

    w.elections = {election_create(actor=None, congress=c, body="secretary", seats=1,
                                   candidates=[f"Ứng viên {org.code}"]): org for c, org in congresses.items()}
    return {"election_id": [e.id for e in w.elections] + [987654]}


def _appraisal_ids(w):
    """Appraisal path params: the 2025 campaigns of both trees and every member's review."""
    from dangbo.appraisal.models import Review
    from dangbo.appraisal.services import campaign_open

    w.campaigns = [campaign_open(actor=None, organization=o, year=2025) for o in (w.root, w.other)]
    w.reviews = list(Review.objects.filter(campaign__in=w.campaigns).select_related("member"))
    return {"campaign_id": [c.id for c in w.campaigns], "review_id": [r.id for r in w.reviews]}


def _vote_ids(w, congresses):
    """Open votes (CON-4): a phones vote per congress; the committee's is open with Lan checked in,
    so her phone page lists it. Visible per role: staff covering the congress, delegates their own."""
    from dangbo.congress.services import delegate_check_in
    from dangbo.votes.services import vote_create, vote_open

    w.votes = {}
    for c, org in congresses.items():
        v = vote_create(actor=None, congress=c, subject=f"Nghị quyết {org.code}", kind="resolution", mode="phones")
        if org == w.root:
            delegate_check_in(actor=None, congress=c, delegate=c.delegates.get(member=w.lan))
            v = vote_open(actor=None, vote=v)
        w.votes[v] = (org, set(c.delegates.values_list("member_id", flat=True)))
    return {"vote_id": [v.id for v in w.votes] + [987654]}


def _visible(w, role):
    """What each role may see: (orgs, members)."""
    if role == "office":
        return {w.root, w.a, w.a1, w.a2, w.b}, {w.hung, w.lan, w.hoa}
    if role == "secretary":
        return {w.a, w.a1, w.a2}, {w.hung, w.lan}
    if role == "member":
        return {w.a2}, {w.lan}  # her own cell's name shows on her record
    if role == "outsider":
        return {w.other, w.x1}, {w.stranger}
    return set(), set()


def _body(response) -> str:
    text = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(response.json(), ensure_ascii=False)
    return text


def _fill(route, ids):
    """Every concrete path for a route, each with the parameter values it used: [(path, {name: id})]."""
    filled = [(route, {})]
    for _conv, name in PARAM.findall(route):
        assert name in ids, f"the scope walker cannot fill <{name}> in {route!r}: teach it"
        filled = [(re.sub(rf"<(?:\w+:)?{name}>", str(v), p, count=1), {**used, name: v})
                  for p, used in filled for v in ids[name]]
    return [("/" + p, used) for p, used in filled]


@pytest.mark.parametrize("role", ["office", "secretary", "member", "outsider", "anonymous"])
def test_every_route_respects_scope(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login({"office": world.office, "secretary": world.secretary, "member": world.member_user,
                            "outsider": world.outsider}[role])
    orgs, members = _names(world)
    seen_orgs, seen_members = _visible(world, role)
    hidden_text = [name for o, name in orgs.items() if o not in seen_orgs and o not in (world.root,)]
    hidden_text += [name for m, name in members.items() if m not in seen_members]
    ids = {"org_id": [o.id for o in orgs], "member_id": [m.id for m in members],
           "batch_id": [987654], "pair_id": [987654]}  # registry review queue: no batch in `world`
    congresses = _congresses(world)
    ids["congress_id"] = [c.id for c in congresses] + [987654]
    visible_ids = {"org_id": {o.id for o in seen_orgs}, "member_id": {m.id for m in seen_members},
                   "batch_id": set(), "pair_id": set(),
                   # office staff and secretaries covering the congress's organisation; members none
                   "congress_id": {c.id for c, o in congresses.items() if o in seen_orgs and role != "member"}}
    ids.update(_election_ids(world, congresses))  # elections: staff covering the congress only
    visible_ids["election_id"] = {e.id for e, o in world.elections.items() if o in seen_orgs and role != "member"}
    ids.update(_appraisal_ids(world))  # appraisal: a campaign in each tree, a review per member
    visible_ids["campaign_id"] = {c.id for c in world.campaigns if c.organization in seen_orgs
                                  or (role in ("secretary", "member") and c.organization == world.root)}
    visible_ids["review_id"] = {r.id for r in world.reviews if r.member in seen_members}
    ids.update(_vote_ids(world, congresses))  # open votes: staff manage, a delegate votes on their own
    visible_ids["vote_id"] = {v.id for v, (o, people) in world.votes.items()
                              if (o in seen_orgs and role != "member") or (role == "member" and world.lan.id in people)}
    for provide in providers():  # one file per app in tests/web/scope_params/
        more_ids, more_visible = provide(world, congresses, role, seen_orgs, seen_members)
        assert not set(more_ids) & set(ids), f"parameter named twice: {set(more_ids) & set(ids)}"
        ids.update(more_ids)
        visible_ids.update(more_visible)
    routes = [r for r in _routes() if not r.startswith(SKIP_PREFIXES)]
    assert any(r.startswith("api/") for r in routes) and any(r.startswith("dang-vien/") for r in routes)
    # org filters on list routes: an organisation deep inside each tree, one beside the secretary's
    # branch and the committee itself (every other org is reached through these trees' pages)
    org_probes = [o.id for o in (world.root, world.a2, world.b, world.x1)]
    walked = 0
    for route in routes:
        for path, used in _fill(route, ids):
            # list routes take filters in the query string; routes with an id in the path are walked
            # over every id already, so one search query is enough there
            queries = ["", "?q=hung"]
            if not PARAM.search(route):
                queries += ["?q=hoa", "?q=Lan"] + [f"?org={i}&org_id={i}&parent={i}" for i in org_probes]
            for query in queries:
                for method in ("get", "post"):
                    r = getattr(client, method)(path + query)
                    walked += 1
                    body = _body(r)
                    for name in hidden_text:
                        assert name not in body, f"{role} sees {name!r} at {method.upper()} {path + query}"
                    if role == "anonymous" and path not in PUBLIC:
                        assert r.status_code in (302, 401, 403, 404, 405), (path, r.status_code)
                    outside = [v for param, v in used.items() if v not in visible_ids[param]]
                    if outside and role != "anonymous":
                        assert r.status_code >= 400, (role, method, path, r.status_code)
    assert walked > 100


def test_admin_is_closed_to_roles(world):
    client = Client()
    client.force_login(world.office)
    r = client.get("/quan-tri/")
    assert r.status_code == 302 and "/quan-tri/login/" in r["Location"]
