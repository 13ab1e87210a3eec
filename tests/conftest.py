"""Shared fixtures: a small committee with three roles (the healthchecks "alice/bob/charlie" idea).

    committee (root)  ── grassroots_committee A ── cell A1, cell A2
                      └─ grassroots_cell B
    outsider committee (another tree; nobody here may see it)
"""

from datetime import date

import pytest
from hypothesis import settings as hypothesis_settings

from dangbo.accounts.services import account_create
from dangbo.members.services import member_create
from dangbo.orgs.services import org_found

# `make test` is the gate that lands a change: it runs the property tests on a fixed sequence of
# examples (`--hypothesis-profile=gate`), so a run that passed passes again; run `pytest` without it
# (the default profile) to explore new examples while working on a rule.
hypothesis_settings.register_profile("gate", derandomize=True, database=None)

PASSWORD = "mat-khau-thu-nghiem-2025"


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    d = date(2025, 7, 1)
    w.root = org_found(actor=None, code="ROOT", name="Đảng bộ Thử nghiệm", kind="committee", parent=None, on=d,
                       decision_number="10-QĐ/TU", decision_date=date(2025, 6, 26))
    w.a = org_found(actor=None, code="A", name="Đảng bộ cơ sở A", kind="grassroots_committee", parent=w.root, on=d)
    w.a1 = org_found(actor=None, code="A1", name="Chi bộ A1", kind="cell", parent=w.a, on=d)
    w.a2 = org_found(actor=None, code="A2", name="Chi bộ A2", kind="cell", parent=w.a, on=d)
    w.b = org_found(actor=None, code="B", name="Chi bộ cơ sở B", kind="grassroots_cell", parent=w.root, on=d)
    w.other = org_found(actor=None, code="X", name="Đảng bộ Khác", kind="committee", parent=None, on=d)
    w.x1 = org_found(actor=None, code="X1", name="Chi bộ cơ sở X1", kind="grassroots_cell", parent=w.other, on=d)

    def add(org, name, sex="M", admitted=date(2000, 3, 2), official=date(2001, 3, 2), **kw):
        profile = {"full_name": name, "sex": sex, "birth_date": date(1975, 5, 5), **kw}
        return member_create(actor=None, organization=org, profile=profile, admission_date=admitted,
                             official_date=official)

    w.add = add
    w.hung = add(w.a1, "Nguyễn Văn Hùng", national_id="025075000123")
    w.lan = add(w.a2, "Trần Thị Lan", sex="F")
    w.hoa = add(w.b, "Lê Thị Hoà", sex="F", admitted=date(2025, 9, 1), official=None)
    w.stranger = add(w.x1, "Phạm Văn Hùng")
    w.office = account_create(actor=None, username="office", password=PASSWORD, role="office", organization=w.root)
    w.secretary = account_create(actor=None, username="secretary", password=PASSWORD, role="secretary",
                                 organization=w.a)
    w.member_user = account_create(actor=None, username="member", password=PASSWORD, role="member",
                                   member=w.lan)
    w.outsider = account_create(actor=None, username="outsider", password=PASSWORD, role="office",
                                organization=w.other)
    return w


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for production, not for hundreds of test logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL run only the tests that touch the database: the pure rule, text and CLI-contract
    tests are database-independent and already ran on the SQLite pass (make test runs both)."""
    import os

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
            getattr(item, "fixturenames", ()))
        once = item.get_closest_marker("sqlite_only")  # uses the database as plain storage: once is enough
        (keep if uses_db and not once else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    # The full demo (tests/ops/test_backup.py's module fixture, one transaction of ~90,000 statements)
    # first, on the fresh database: after ~400 other tests in the same process it took 724 s in CI,
    # alone 236 s (docs/PERFORMANCE.md «The test run's time, third round»).
    keep.sort(key=lambda item: not item.nodeid.startswith("tests/ops/test_backup.py"))
    items[:] = keep
