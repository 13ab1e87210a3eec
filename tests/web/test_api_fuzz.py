"""Fuzz the JSON API against its own OpenAPI document with schemathesis (property-based).

Logged in as the test world's office user (the widest scope), every operation is called with
generated valid and invalid inputs; each answer must be no server error, a status the document
declares for that operation, and a body that matches the declared schema. Bounded (few examples
per operation) so it stays well under 90 s; it uses the `db` fixture, so the PostgreSQL pass runs
it too (tests/conftest.py keeps database tests there).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF = "a" * 32  # Django accepts a matching cookie and header (the browser's double submit)


def _load():
    """The document the server publishes at /api/openapi.json (built without a request, so no
    database is needed at collection), called through Django's own WSGI application."""
    from dangbo.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    return loaded


schema = _load()


@pytest.fixture
def keep_connection():
    """Django's WSGI handler closes the database connection after each request, which on PostgreSQL
    would end the test's transaction; Django's own test client holds these signals off the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def office_cookies(world, keep_connection):
    c = Client()
    c.force_login(world.office)
    return {"sessionid": c.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.fixture
def real_ids(world):
    """Ids of the test world, so that generated requests also reach existing records (a random id
    is nearly always a 404); out-of-range and ill-typed ids are left as generated."""
    members = [m.pk for m in (world.hung, world.lan, world.hoa, world.stranger)]
    orgs = [o.pk for o in (world.a1, world.a2, world.b, world.a, world.root, world.x1)]
    return {"member_id": members, "org_id": orgs, "organization_id": orgs, "to_org_id": orgs, "parent_id": orgs}


def _aim(values, ids):
    if not isinstance(values, dict):
        return
    for key, value in values.items():
        if key in ids and type(value) is int and 1 <= value <= 2**31:
            values[key] = ids[key][value % len(ids[key])]


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_answers_every_generated_request_as_documented(case, office_cookies, real_ids):
    _aim(case.path_parameters, real_ids)
    _aim(case.query, real_ids)
    _aim(case.body, real_ids)
    response = case.call(cookies=office_cookies, headers={"X-CSRFToken": CSRF})
    case.validate_response(response, checks=CHECKS)
