"""Backup and restore of the database named by DATABASE_URL (`dangbo backup FILE`, `dangbo restore FILE`).

SQLite: SQLite's online backup API (Python's sqlite3 `Connection.backup`) copies a consistent
snapshot — committed pages still in the -wal file included, which a plain copy of the database file
misses — while the server keeps writing; the copy is one self-contained file (rollback journal
mode) checked with PRAGMA integrity_check. Restore is the same API the other way.
PostgreSQL: `pg_dump -Fc` (custom format) and `pg_restore` in one transaction, the connection taken
from DATABASE_URL and passed through the PG* environment variables (no password on a command line).

A backup file is written beside its final name, owner-only (0600) from creation, and renamed into
place only when complete, so a failed backup never leaves a half file under the name.

Restore goes only into an *empty* database: one where no table of the platform's models holds a row.
The rows `dangbo migrate` writes by itself (applied migrations, content types, permissions) do not
count, so a freshly created database and a freshly migrated one are both empty; a database anybody
has used (an account, a session, a member, a throttled login) is not, and is refused untouched.
"""

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connections

from dangbo.core.errors import InvalidInput
from dangbo.ops.files import open_new_owner_only, sqlite_files

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
#: tables `dangbo migrate` fills by itself; rows there do not make a database "used"
MIGRATE_FILLS = frozenset({"django_migrations", "django_content_type", "auth_permission"})
ENGINE_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Result:
    path: Path
    engine: str  # "sqlite" | "postgresql"
    size: int  # bytes of the backup file


def data_tables() -> list[str]:
    """Every table of the platform's models (all apps, many-to-many tables included) but MIGRATE_FILLS."""
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)
              if m._meta.managed and not m._meta.proxy}
    return sorted(tables - MIGRATE_FILLS)


def used_table(using: str = "default") -> str | None:
    """The first table of ours that holds a row in the database `using`, or None when it is empty."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in data_tables():
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {qn(table)} LIMIT 1")
                if cursor.fetchone():
                    return table
    return None


def backup_kind(path: Path) -> str:
    """"sqlite" or "postgresql" from the file's first bytes; a Vietnamese error for anything else."""
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp sao lưu «{path}».", field="file")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise InvalidInput(f"Tệp «{path}» không phải bản sao lưu của dangbo (SQLite hoặc PostgreSQL dạng pg_dump -Fc).",
                       field="file")


@contextmanager
def _new_file(path: Path):
    """A temporary owner-only file beside `path`, renamed onto it when the block succeeds."""
    if not path.parent.is_dir():
        raise InvalidInput(f"Thư mục «{path.parent}» không tồn tại.", field="file")
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = open_new_owner_only(tmp)
    try:
        yield tmp, fd
        os.replace(tmp, path)
    finally:
        os.close(fd)
        tmp.unlink(missing_ok=True)


def backup(path: Path | str, using: str = "default") -> Result:
    path = Path(path).resolve()
    connection = connections[using]
    if connection.vendor == "sqlite":
        _sqlite_backup(connection, path)
    elif connection.vendor == "postgresql":
        _pg_backup(connection, path)
    else:
        raise InvalidInput(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {connection.vendor}.")
    return Result(path, connection.vendor, path.stat().st_size)


def restore(path: Path | str, using: str = "default") -> Result:
    path = Path(path).resolve()
    connection = connections[using]
    kind = backup_kind(path)
    if kind != connection.vendor:
        raise InvalidInput(
            f"Tệp «{path}» là bản sao lưu {ENGINE_LABEL[kind]}, còn cơ sở dữ liệu đích (DATABASE_URL) là "
            f"{ENGINE_LABEL.get(connection.vendor, connection.vendor)}: chỉ khôi phục vào cơ sở dữ liệu cùng loại.",
            field="file")
    table = used_table(using)
    if table:
        raise InvalidInput(
            f"Cơ sở dữ liệu đích «{connection.settings_dict['NAME']}» đã có dữ liệu (bảng {table}); chỉ khôi "
            "phục vào cơ sở dữ liệu trống. Hãy tạo cơ sở dữ liệu mới (SQLite: chuyển tệp cũ đi chỗ khác) "
            "rồi chạy lại.", field="database")
    if kind == "sqlite":
        _sqlite_restore(connection, path)
    else:
        _pg_restore(connection, path)
    return Result(path, kind, path.stat().st_size)


# --- SQLite -------------------------------------------------------------------------------------

def _sqlite_check(db: sqlite3.Connection, path: Path) -> None:
    result = db.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        detail = "; ".join(r[0] for r in result[:3])
        raise InvalidInput(f"Tệp sao lưu «{path}» bị hỏng (kiểm tra toàn vẹn: {detail}).", field="file")


def _sqlite_backup(connection, path: Path) -> None:
    live = Path(connection.settings_dict["NAME"]).resolve() if connection.settings_dict["NAME"] else None
    if live is not None and path in sqlite_files(live):
        raise InvalidInput(f"Tệp sao lưu «{path}» trùng với tệp cơ sở dữ liệu đang dùng; hãy chọn tên khác.",
                           field="file")
    connection.ensure_connection()
    with _new_file(path) as (tmp, _fd):
        target = sqlite3.connect(tmp)
        try:
            connection.connection.backup(target)  # one step: a consistent snapshot, WAL included
            target.execute("PRAGMA journal_mode=DELETE")  # the copy is one file, no -wal beside it
            _sqlite_check(target, path)
        finally:
            target.close()


def _sqlite_restore(connection, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _sqlite_check(source, path)
        if not source.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone():
            raise InvalidInput(f"Tệp «{path}» là cơ sở dữ liệu SQLite nhưng không phải bản sao lưu của dangbo.",
                               field="file")
        connection.close()
        target = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        try:
            # rollback-journal mode for the copy: the backup API refuses a WAL target whose page
            # size differs from the source's; WAL comes back with the platform's next connection
            target.execute("PRAGMA journal_mode=DELETE")
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        source.close()


# --- PostgreSQL ---------------------------------------------------------------------------------

def _pg_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                     ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for var, key in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert"), ("PGSSLCERT", "sslcert"),
                     ("PGSSLKEY", "sslkey")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _major(tool: str) -> int:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else 0


def pg_tool(name: str, server_major: int) -> str:
    """The newest `name` (pg_dump, pg_restore) at least as new as the server: DANGBO_PG_BINDIR if
    set, else Debian's /usr/lib/postgresql/<version>/bin, else the PATH."""
    if os.environ.get("DANGBO_PG_BINDIR"):
        candidates = [str(Path(os.environ["DANGBO_PG_BINDIR"]) / name)]
    else:
        found = Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
        candidates = [str(p) for p in sorted(found, key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
                                             reverse=True)]
        if shutil.which(name):
            candidates.append(shutil.which(name))
    usable = [c for c in candidates if os.access(c, os.X_OK)]
    if not usable:
        raise InvalidInput(f"Không tìm thấy chương trình {name} (gói Debian postgresql-client).")
    for tool in usable:
        if _major(tool) >= server_major:
            return tool
    raise InvalidInput(f"{name} ({usable[0]}) cũ hơn máy chủ PostgreSQL {server_major}: cần {name} phiên bản "
                       f"{server_major} trở lên (gói postgresql-client-{server_major}, hoặc đặt DANGBO_PG_BINDIR).")


def _run(args: list[str], env: dict, what: str, **kwargs) -> None:
    done = subprocess.run(args, env=env, stderr=subprocess.PIPE, text=True, check=False, **kwargs)
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise InvalidInput(f"{what} không thành công (mã {done.returncode}). Thông báo của {Path(args[0]).name}: {tail}")


def _pg_backup(connection, path: Path) -> None:
    connection.ensure_connection()
    tool = pg_tool("pg_dump", connection.pg_version // 10000)
    env = _pg_env(connection.settings_dict)
    with _new_file(path) as (_tmp, fd):
        _run([tool, "--format=custom", "--no-password"], env, "Sao lưu PostgreSQL (pg_dump)", stdout=fd)
        os.fsync(fd)


def _pg_restore(connection, path: Path) -> None:
    tool = pg_tool("pg_restore", connection.pg_version // 10000)
    env = _pg_env(connection.settings_dict)
    _run([tool, "--list", str(path)], env, f"Đọc tệp sao lưu «{path}» (pg_restore --list)", stdout=subprocess.DEVNULL)
    args = [tool, "--no-password", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}"]
    if set(data_tables()) & set(connection.introspection.table_names()):
        args += ["--clean", "--if-exists"]  # a migrated, still empty database: its empty tables are replaced
    connection.close()
    _run([*args, str(path)], env, "Khôi phục PostgreSQL (pg_restore)")
