"""Files owner-only from the moment they exist (no Django import: settings.py uses it).

The platform's files hold members' personal data (the database, its backups) or the key that signs
sessions. Creating a file and chmod-ing it afterwards leaves a window in which another local user
can open it and keep the descriptor; so files are created with their final mode by os.open(...,
0o600) and folders by mkdir(0o700). Files an older version created group- or world-readable are
tightened when the process owns them.
"""

import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def owner_only_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; tighten it if it exists, is ours and is open to
    others (the var/ folder of an older version)."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, DIR_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    if st.st_uid == os.geteuid() and st.st_mode & 0o077:
        os.chmod(path, mode)


def create_owner_only(path: Path) -> bool:
    """Create an empty file with mode 0600 if it does not exist; True when this call created it.

    An existing file of ours that others may read is tightened to 0600 (databases of older versions).
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        _tighten(path, FILE_MODE)
        return False
    os.close(fd)
    return True


def open_new_owner_only(path: Path) -> int:
    """A new file (never an existing one) open for writing, mode 0600 from creation: its descriptor."""
    return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)


def secret_key_file(path: Path) -> str:
    """The secret key stored in `path`, generated on first use.

    Written into a private temporary file and linked into place, so the key file is 0600 from its
    first instant and a second process starting at the same time never reads a half-written key
    (os.link fails when the name exists; then the other process's key is read).
    """
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = open_new_owner_only(tmp)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def sqlite_files(db: Path) -> list[Path]:
    """The database file and the files SQLite keeps beside it in WAL mode."""
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
