"""The base of every `dangbo` sub-command: a refusal reads as the Vietnamese sentence it is.

Django's `run_from_argv` prints a CommandError as «CommandError: <message>» — the class name, in
English, before every Vietnamese message a clerk reads. Called from the command line, the refusal is
written alone (stderr) and the command exits with its code; called from code (`call_command`, the
tests) it is raised as before; `--traceback` keeps Django's trace.
"""

import sys

from django.core.management.base import BaseCommand, CommandError


class DangboCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)
