"""One error type for bad input, shared by forms, the API and the CLI."""


class InvalidInput(ValueError):
    """Bad input with a Vietnamese message; `field` names the offending field when there is one."""

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: message} if field else {})
