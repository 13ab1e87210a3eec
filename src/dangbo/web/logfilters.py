"""Logging filters (settings.LOGGING)."""

import logging


class OneLineClientErrors(logging.Filter):
    """A response below 500 is logged as one line, without the exception's traceback.

    Django logs every PermissionDenied (403) and SuspiciousOperation (400) with exc_info, so a user
    opening a page outside their scope fills the log with tracebacks; a 500 keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
