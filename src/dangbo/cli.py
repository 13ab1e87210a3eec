"""The `dangbo` console script: Django's management commands under one name.

`dangbo demo`, `dangbo serve`, `dangbo createuser`, `dangbo stats --json`, `dangbo backup FILE`,
`dangbo restore FILE`, `dangbo migrate` …
Each sub-command is a management command in one of the apps (see README.md).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    # Owner-only files from creation (0600, folders 0700): everything the command line writes —
    # the SQLite database and the -wal/-shm/journal files SQLite creates itself, backups, exports,
    # the demo's roll files — holds members' personal data. settings.py also creates the database
    # and the secret key 0600 explicitly, for servers started without this entry point (gunicorn).
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangbo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
