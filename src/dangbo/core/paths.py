"""Copies of an organisation's path kept on other apps' rows follow the organisation when it moves.

Many rows carry `org_path`, a copy of the path of the organisation they belong to, so that every
read can be scoped to the user's part of the tree with one indexed `LIKE 'path%'` (ARCHITECTURE.md,
"selectors"). `orgs.services.org_move` rewrites the paths of the moved subtree; the copies must
follow in the same transaction, or the old parent's staff keep seeing the moved organisation's
meetings, fees, letters, models … and the new parent's staff do not (a scope leak).

Each app declares its copies once, in its `AppConfig.ready`, with `follow_moves`; `org_move` calls
`rewrite_moved`, one UPDATE per declared column (prefix replaced in the database, whatever the
number of rows). orgs does not import the apps (they sit above it); they register here, below both.
Copies that are history on purpose (the audit log's place of each event) are not declared.
"""

from django.apps import apps
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

_FOLLOWERS: list[tuple[str, str, str]] = []  # (app label, model name, field)


def follow_moves(app_label: str, *specs: str) -> None:
    """Declare `app_label`'s path copies: "Model" (its `org_path`) or "Model.field"."""
    for spec in specs:
        model, _, field = spec.partition(".")
        entry = (app_label, model, field or "org_path")
        if entry not in _FOLLOWERS:
            _FOLLOWERS.append(entry)


def followers() -> list[tuple[str, str, str]]:
    return list(_FOLLOWERS)


def rewrite_moved(old_path: str, new_path: str) -> int:
    """Replace the prefix `old_path` by `new_path` in every declared copy; returns the rows changed.
    Call inside the transaction that moves the organisations."""
    changed = 0
    for app_label, model_name, field in _FOLLOWERS:
        model = apps.get_model(app_label, model_name)
        changed += model.objects.filter(**{f"{field}__startswith": old_path}).update(
            **{field: Concat(Value(new_path), Substr(F(field), len(old_path) + 1))})
    return changed


def ancestor_ids(path: str) -> list[int]:
    """The ids of the organisations on `path`, the root first and the organisation itself last
    (`orgs.services._set_path`: each id zero-padded, then "/")."""
    return [int(part) for part in path.split("/") if part]


_SUBTREE_HOOKS: list = []


def on_subtree_move(fn) -> None:
    """Declare `fn(org_id, old_path, new_path)`, called by `org_move` in its transaction once the
    paths are rewritten: counts an app keeps per ancestor (the moved organisation's own rows hold its
    subtree's) leave the ancestors it left and join the ones it joined. Declared in `AppConfig.ready`,
    as `follow_moves`."""
    if fn not in _SUBTREE_HOOKS:
        _SUBTREE_HOOKS.append(fn)


def subtree_moved(org_id: int, old_path: str, new_path: str) -> None:
    for fn in _SUBTREE_HOOKS:
        fn(org_id, old_path, new_path)
