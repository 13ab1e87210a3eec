"""The member-name search index (`NameKey`): which keys a name has, and keeping them in step.

Every word start of the folded full name is a key ("nguyen van hung", "van hung", "hung"), so a
"starts with" range finds any contiguous run of words. `Member.save` calls `keys_sync`, so every
writer that saves a member through the ORM (the services, an organisation move rewriting
`org_path`, the registry restoring a member) keeps the index without knowing about it; writers that
bypass `save` (bulk loads: `bench/generate.py`, migrations) call `keys_rebuild`. `keys_check`
compares the index with the members (tests, after a bulk load).

A member loaded from the database remembers the columns its keys are made of (`keys_remember`,
called by `Member.from_db` / `refresh_from_db`), so a save that leaves them as loaded writes and reads
no key row (the demo build saved members 8,606 times, each re-reading its keys: docs/PERFORMANCE.md,
«The test run's time, second round»). After it writes key rows the instance forgets them (the write
may yet be rolled back by a savepoint): its next save reads the rows as before, as does an instance
that was never loaded. The one case this trusts the caller with: an instance kept while another
writer changes the same member's name or place, then saved in full — a stale instance, whose save
writes old values into the member's row anyway; the services re-read the member they write
(`select_for_update`).
"""

from __future__ import annotations

from collections.abc import Iterable

#: The member columns a key row copies; a save that touches none of them leaves the keys alone.
INDEXED_FIELDS = frozenset({"full_name", "name_folded", "name_sort", "org_path"})


def word_starts(folded: str) -> list[str]:
    """The keys of a folded name: the name from each word start to the end, longest first.

    >>> word_starts("nguyen thi minh khai")
    ['nguyen thi minh khai', 'thi minh khai', 'minh khai', 'khai']
    """
    words = folded.split()
    return list(dict.fromkeys(" ".join(words[i:]) for i in range(len(words))))


#: The member columns the key rows are made of (one row per word start of `name_folded`).
KEY_FIELDS = ("name_folded", "name_sort", "org_path")
#: The attribute of a `Member` instance holding {column: value} of `KEY_FIELDS` as its row has them.
_LOADED = "_keys_loaded"


def keys_remember(member, fields: Iterable[str] | None = None) -> None:
    """Note on `member` the key columns (among `fields`; all when None) it was just loaded with.
    Deferred columns are not noted (their value is not known)."""
    loaded = member.__dict__.setdefault(_LOADED, {})
    for f in KEY_FIELDS if fields is None else set(KEY_FIELDS).intersection(fields):
        if f in member.__dict__:
            loaded[f] = member.__dict__[f]


def keys_sync(member, *, adding: bool = False, update_fields: Iterable[str] | None = None) -> None:
    """Make `member`'s key rows match its folded name, sort key and organisation path (called by
    `Member.save`, in the same transaction as the save). No key row is read when the instance
    remembers what its row held (`keys_remember`): nothing is done when that is what the row holds
    now, the rows are replaced when not."""
    from dangbo.members.models import NameKey

    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return
    loaded = {} if adding else dict(member.__dict__.get(_LOADED) or {})
    saved = set(KEY_FIELDS) if update_fields is None else set(update_fields)
    # the row's key columns after this save: the instance's where saved, as loaded where not
    row = {f: loaded[f] if f not in saved and f in loaded else getattr(member, f) for f in KEY_FIELDS}
    if len(loaded) == len(KEY_FIELDS):
        if loaded == row:
            return  # the key rows were written from these values and nothing was saved since
        NameKey.objects.filter(member_id=member.pk).delete()
    elif not adding:
        stored = list(NameKey.objects.filter(member_id=member.pk).order_by("id")
                      .values_list("key", "name_sort", "org_path"))
        if stored:  # a column not saved nor loaded: the row's value, which the key rows copy
            held = {"name_folded": max((k for k, _, _ in stored), key=len), "name_sort": stored[0][1],
                    "org_path": stored[0][2]}
            row.update({f: held[f] for f in KEY_FIELDS if f not in saved and f not in loaded})
        if sorted(stored) == sorted(_rows(row)):
            return
        NameKey.objects.filter(member_id=member.pk).delete()
    member.__dict__.pop(_LOADED, None)  # written: the next save reads (a savepoint may take this back)
    NameKey.objects.bulk_create([NameKey(member_id=member.pk, key=k, name_sort=s, org_path=p) for k, s, p in _rows(row)])


def _rows(row: dict) -> list[tuple[str, str, str]]:
    return [(key, row["name_sort"], row["org_path"]) for key in word_starts(row["name_folded"])]


def keys_rebuild(*, batch: int = 5000, log=None) -> int:
    """Rewrite the whole index from the members (after a bulk load that bypassed `Member.save`).
    Returns the number of key rows written."""
    from dangbo.members.models import Member, NameKey

    NameKey.objects.all().delete()
    written, rows = 0, []
    members = Member.objects.order_by("pk").values_list("pk", "name_folded", "name_sort", "org_path")
    for pk, folded, sort, path in members.iterator(chunk_size=batch):
        rows += [NameKey(member_id=pk, key=k, name_sort=sort, org_path=path) for k in word_starts(folded)]
        if len(rows) >= batch:
            NameKey.objects.bulk_create(rows, batch_size=batch)
            written += len(rows)
            rows = []
            if log:
                log(written)
    NameKey.objects.bulk_create(rows, batch_size=batch)
    return written + len(rows)


def keys_check() -> list[int]:
    """Ids of members whose key rows differ from what their name and place give (empty when the
    index is right)."""
    from dangbo.members.models import Member, NameKey

    stored: dict[int, list] = {}
    for pk, key, sort, path in NameKey.objects.values_list("member_id", "key", "name_sort", "org_path"):
        stored.setdefault(pk, []).append((key, sort, path))
    wrong = []
    for pk, folded, sort, path in Member.objects.values_list("pk", "name_folded", "name_sort", "org_path"):
        if sorted(stored.pop(pk, [])) != sorted((k, sort, path) for k in word_starts(folded)):
            wrong.append(pk)
    return sorted(wrong + list(stored))

