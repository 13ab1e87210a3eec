import pytest


@pytest.fixture(autouse=True)
def _var_dir(tmp_path, settings):
    """Attachments go to a temporary var/ per test."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir(mode=0o700)
