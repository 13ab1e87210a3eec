"""The member-name search index (`NameKey`): which keys a name has, and keeping them in step.

Every word start of the folded full name is a key ("nguyen van hung", "van hung", "hung"), so a
"starts with" range finds any contiguous run of words. `Member.save` calls `keys_sync`, so every
writer that saves a member through the ORM (the services, an organisation move rewriting
`org_path`, the registry restoring a member) keeps the index without knowing about it; writers that
bypass `save` (bulk loads: `bench/generate.py`, migrations) call `keys_rebuild`. `keys_check`
compares the index with the members (tests, after a bulk load).
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


def _rows_for(member) -> list[tuple[str, str, str]]:
    return [(key, member.name_sort, member.org_path) for key in word_starts(member.name_folded)]


def keys_sync(member, *, adding: bool = False, update_fields: Iterable[str] | None = None) -> None:
    """Make `member`'s key rows match its folded name, sort key and organisation path (called by
    `Member.save`, in the same transaction as the save)."""
    from dangbo.members.models import NameKey

    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return
    wanted = _rows_for(member)
    if not adding:
        stored = list(NameKey.objects.filter(member_id=member.pk).order_by("id")
                      .values_list("key", "name_sort", "org_path"))
        if sorted(stored) == sorted(wanted):
            return
        NameKey.objects.filter(member_id=member.pk).delete()
    NameKey.objects.bulk_create([NameKey(member_id=member.pk, key=k, name_sort=s, org_path=p) for k, s, p in wanted])


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

