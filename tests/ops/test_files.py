"""Files owner-only from creation: var/ 0700, the secret key, the SQLite database and its -wal/-shm
0600 — also for a server started without the `dangbo` command (gunicorn: no umask of ours), and the
umask the command line sets for everything else it writes."""

import os
import sqlite3
import stat
import subprocess
import sys

SETUP = """
import os
os.umask(0o022)  # a usual server umask: the platform must not depend on it
import django
django.setup()
"""


def _run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("DANGBO_") and k != "DATABASE_URL"}
    full.update({"DANGBO_VAR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "dangbo.settings", **env})
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, cwd=tmp_path)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_fresh_install_files_are_owner_only(tmp_path):
    r = _run(SETUP + "from django.core.management import call_command; call_command('migrate', verbosity=0)", tmp_path)
    assert r.returncode == 0, r.stderr
    var = tmp_path / "var"
    assert _mode(var) == 0o700
    assert _mode(var / "secret_key") == 0o600
    assert _mode(var / "dangbo.sqlite3") == 0o600
    os.umask(old := os.umask(0o022))
    try:
        db = sqlite3.connect(var / "dangbo.sqlite3")  # WAL mode is in the file: -wal and -shm appear
        db.execute("CREATE TABLE probe (x)")
        db.commit()
        assert _mode(var / "dangbo.sqlite3-wal") == 0o600 and _mode(var / "dangbo.sqlite3-shm") == 0o600
        db.close()
    finally:
        os.umask(old)


WATCH = """
import os, stat, sys
key = os.path.join(os.environ["DANGBO_VAR"], "secret_key")
modes = []
def hook(event, args):
    # before every open and chmod of the key: the mode it has at that instant, if it exists
    if event in ("open", "os.chmod") and args and str(args[0]) == key and os.path.exists(key):
        modes.append(stat.S_IMODE(os.stat(key).st_mode))
sys.addaudithook(hook)
""" + SETUP + """
print(sorted(set(modes)))
"""


def test_secret_key_is_never_readable_by_others(tmp_path):
    """Not even for an instant between its creation and a chmod (the audit hook sees each access)."""
    r = _run(WATCH, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[384]"  # 0o600, and only that
    first = (tmp_path / "var" / "secret_key").read_text()
    assert len(first) > 50 and _run(SETUP, tmp_path).returncode == 0
    assert (tmp_path / "var" / "secret_key").read_text() == first  # generated once


def test_an_older_install_is_tightened(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    os.chmod(var, 0o755)
    db = var / "dangbo.sqlite3"
    sqlite3.connect(db).close()
    os.chmod(db, 0o644)
    assert _run(SETUP, tmp_path).returncode == 0
    assert _mode(var) == 0o700 and _mode(db) == 0o600


def test_the_command_line_creates_owner_only_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGBO_") and k != "DATABASE_URL"}
    env["DANGBO_VAR"] = str(tmp_path / "var")
    r = subprocess.run([sys.executable, "-m", "dangbo.cli", "shell", "-c", "open('export.csv', 'w').close()"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stderr
    assert _mode(tmp_path / "export.csv") == 0o600
