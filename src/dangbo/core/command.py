"""The base of every `dangbo` sub-command: a refusal reads as the Vietnamese sentence it is.

Django's `run_from_argv` prints a CommandError as «CommandError: <message>» — the class name, in
English, before every Vietnamese message a clerk reads. Called from the command line, the refusal is
written alone (stderr) and the command exits with its code; called from code (`call_command`, the
tests) it is raised as before; `--traceback` keeps Django's trace.

argparse's own refusals (a required option missing, an unknown option, a value of the wrong type)
print «usage: …» and «error: the following arguments are required: …» in English. On the command line
they are said in Vietnamese instead (`vietnamese_usage_error`), with the command's name and a pointer
to its help; from code they are raised as Django raises them.
"""

import re
import sys
from argparse import _SubParsersAction

from django.core.management.base import BaseCommand, CommandError, CommandParser

#: argparse's messages (Python 3.11–3.13, `argparse.py`) and what a clerk reads instead. Hand-written:
#: argparse takes its messages from gettext's default domain, and installing a catalogue there would
#: change every program in the process, not only ours.
_MESSAGES = (
    (r"the following arguments are required: (.+)", "thiếu tham số bắt buộc: {0}."),
    (r"unrecognized arguments: (.+)", "không hiểu tham số: {0}."),
    (r"one of the arguments (.+) is required", "cần một trong các tham số: {0}."),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", "{0}: {1} không có trong các lựa chọn ({2})."),
    (r"argument (\S+): invalid int value: (.+)", "{0}: {1} không phải số nguyên."),
    (r"argument (\S+): invalid float value: (.+)", "{0}: {1} không phải số."),
    (r"argument (\S+): invalid \S+ value: (.+)", "{0}: giá trị {1} không hợp lệ."),
    (r"argument (\S+): expected one argument", "{0} cần một giá trị."),
    (r"argument (\S+): expected at least one argument", "{0} cần ít nhất một giá trị."),
    (r"argument (\S+): not allowed with argument (\S+)", "{0} không dùng cùng với {1}."),
    (r"ambiguous option: (\S+) could match (.+)", "tham số {0} không rõ, có thể là: {1}."),
    (r"argument (\S+): (.+)", "{0}: {1}"),  # a type function's own (Vietnamese) message
)


def vietnamese_usage_error(message: str) -> str:
    """argparse's English refusal said in Vietnamese (unknown messages are kept as they are)."""
    for pattern, said in _MESSAGES:
        m = re.fullmatch(pattern, message)
        if m:
            return said.format(*m.groups())
    return message


class VietnameseParser(CommandParser):
    def error(self, message):
        if not self.called_from_command_line:
            return super().error(message)
        self.exit(2, f"{self.prog}: {vietnamese_usage_error(message)}\nXem cách dùng: {self.prog} --help\n")


def _vietnamese(parser) -> None:
    parser.__class__ = VietnameseParser
    for action in parser._actions:
        if isinstance(action, _SubParsersAction):
            for sub in action.choices.values():
                if isinstance(sub, CommandParser):
                    _vietnamese(sub)


class DangboCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _vietnamese(parser)
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)
