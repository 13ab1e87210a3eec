"""Putting a service's InvalidInput on a Django form: each message beside its field, all at once."""

from dangbo.core.errors import InvalidInput


def add_errors(form, exc: InvalidInput) -> None:
    """Add every error of `exc` to `form`: beside its field when the form has it, else at the top.
    A field that already shows an error keeps it (the first problem found is the one to fix)."""
    errors = exc.errors or {exc.field: exc.message}
    for field, message in errors.items():
        if field in form.fields:
            if field not in form.errors:
                form.add_error(field, message)
        else:
            form.add_error(None, message)
