"""Path parameters for the scope walker (tests/web/test_scope_walk.py), one module per app.

Each module here defines ``provide(world, congresses, role, seen_orgs, seen_members)`` returning
``(ids, visible)``: ``ids`` maps a path parameter name (as in ``<int:meeting_id>``) to the values to
walk — records of both trees plus one that does not exist (987654) — and ``visible`` maps the same
name to the set of values this role may open. The walker imports every module of this package, so a
new app adds its file here and never edits the walker.
"""

import importlib
import pkgutil


def providers():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "provide"):
            yield module.provide
