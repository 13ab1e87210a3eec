"""The `dangbo` console script: Django's management commands under one name.

`dangbo demo`, `dangbo serve`, `dangbo createuser`, `dangbo stats --json`, `dangbo migrate` …
Each sub-command is a management command in one of the apps (see README.md).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangbo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
