"""Settings of the med/low rules: one way to build them from a mapping, one way to read the
installation's `settings.DANGBO_RULES`.

`from_mapping` is pure (the rule modules call it from their settings dataclasses and must stay free
of Django); `configured` is the Django side, used by services, commands and the rules page.
"""

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any


def from_mapping(cls, values: Mapping[str, Any] | None, convert: Mapping[str, Callable[[Any], Any]] = ()):
    """An instance of the frozen settings dataclass `cls` from `values` (e.g. `DANGBO_RULES`),
    ignoring keys that are not its fields; `convert` turns JSON-ish values (lists, dicts) into the
    field's immutable type."""
    names = {f.name for f in fields(cls)}
    convert = dict(convert)
    kwargs = {k: convert[k](v) if k in convert else v for k, v in (values or {}).items() if k in names}
    return cls(**kwargs)


def configured(cls):
    """The installation's settings for rule-settings class `cls` (documented defaults otherwise)."""
    from django.conf import settings

    return cls.from_mapping(getattr(settings, "DANGBO_RULES", {}))
