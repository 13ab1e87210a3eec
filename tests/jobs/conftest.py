import pytest

from tests.jobs.sandbox import Sandbox, migrated


@pytest.fixture(scope="session")
def sandbox_template(tmp_path_factory):
    return migrated(tmp_path_factory.mktemp("sandbox-template"))


@pytest.fixture
def sandbox(tmp_path, sandbox_template):
    box = Sandbox(tmp_path / "box", sandbox_template)
    yield box
    box.close()
