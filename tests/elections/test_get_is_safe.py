"""No GET writes (item: a GET issued an official document number). Every page and download of the
congress, elections and votes apps is walked with GET — as office staff, as a counting committee
member and as a delegate on the phone page — over a congress with delegates, bodies, a closed round
and open votes; the database must be exactly as before (numbers are issued only by explicit POSTs)."""

import re

from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver

from dangbo.votes import services as vote_services

APPS = ("congress", "elections", "votes", "audit", "accounts", "members", "orgs")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _snapshot():
    out = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            out[model._meta.label] = list(model.objects.order_by("pk").values())
    return out


def _routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif p.callback.__module__.startswith(("dangbo.congress", "dangbo.elections", "dangbo.votes")):
            yield prefix + str(p.pattern)


def test_no_get_writes(hall, closed):
    c = hall.congress
    agenda = vote_services.vote_create(actor=None, congress=c, subject="Chương trình", kind="agenda")
    vote_services.vote_open(actor=None, vote=agenda)
    ids = {"congress_id": c.id, "election_id": closed.id, "vote_id": agenda.id}
    users = [hall.world.office, hall.tellers[0], hall.world.member_user]
    before = _snapshot()
    walked = 0
    for route in _routes():
        path = "/" + PARAM.sub(lambda m: str(ids[m.group(1)]), route)
        for user in users:
            client = Client()
            client.force_login(user)
            for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
                r = client.get(path, **extra)
                assert r.status_code < 500, (path, r.status_code)
                walked += 1
    assert walked > 60
    after = _snapshot()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"a GET wrote to {changed}"
