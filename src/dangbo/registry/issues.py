"""What a clerk should know about an import (issue 10 #9), kept as :class:`ImportIssue` rows.

- :func:`report_issues` — the merge report's rejected rows and cell notes (values not read and left
  empty, values read with a change, invisible characters removed), in file order.
- :func:`conflicts` — persons whose ID or party card number a member already holds, or another person
  of the same rolls: found before anything is written, each person named **once** with every field in
  conflict on one line, and the earlier import batches those members came from (a roll uploaded
  twice).
- :func:`issues_write` — the rows saved with their batch in short transactions (file order kept).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangbo.accounts.selectors import scope_of
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.registry.models import ImportBatch, ImportIssue, SourceRecord

#: Issue rows saved per transaction (short, so other writers keep going on SQLite).
WRITE_CHUNK = 2000
_FIELD_WORDS = {"national_id": "số định danh cá nhân", "card_number": "số thẻ đảng viên"}


@dataclass
class Problem:
    """A problem that stops an import, naming the rows of one person (or a file) once."""

    refs: list[str]
    name: str
    message: str
    fields: list[str] = field(default_factory=list)  # "national_id" / "card_number" in conflict

    @property
    def where(self) -> str:
        refs = ", ".join(self.refs)
        return f"{refs} ({self.name})" if self.name else refs

    def line(self) -> str:
        return f"{self.where}: {self.message}"


def _ref_parts(ref: str) -> tuple[str, int | None]:
    file, _, row = ref.rpartition(":")
    return (file, int(row)) if row.isdigit() else (ref, None)


def report_issues(report: dict[str, Any]) -> list[ImportIssue]:
    """The report's rejected rows and cell notes as unsaved issues, file by file in row order."""
    rows: list[tuple[str, int, int, ImportIssue]] = []
    order = {f["file"]: i for i, f in enumerate(report.get("files", []))}
    for r in report.get("rejected", []):
        rows.append((order.get(r.get("file"), 0), r.get("row") or 0, 0, ImportIssue(
            kind=ImportIssue.REJECTED, file=r.get("file", ""), row=r.get("row"), refs=r.get("ref", ""),
            message=r.get("reason", ""))))
    for n in report.get("notes", []):
        rows.append((order.get(n["file"], 0), n["row"], 1, ImportIssue(
            kind=n["kind"], file=n["file"], row=n["row"], refs=n["ref"], column=n.get("column", "")[:255],
            value=n.get("value", ""), kept=n.get("kept", ""), message=n.get("note", ""))))
    rows.sort(key=lambda t: t[:3])
    return [t[3] for t in rows]


def problem_issues(problems: Iterable[Problem]) -> list[ImportIssue]:
    out = []
    for p in problems:
        file, row = _ref_parts(p.refs[0]) if p.refs else ("", None)
        out.append(ImportIssue(kind=ImportIssue.ERROR, file=file, row=row, refs=", ".join(p.refs),
                               name=p.name[:255], message=p.message))
    return out


def issues_write(batch: ImportBatch, issues: list[ImportIssue], *, link_members: bool = False,
                 pause=None) -> None:
    """Save `issues` for `batch` in transactions of :data:`WRITE_CHUNK` rows (``pause()`` between two);
    with `link_members`, each row's issue points at the member its source row became part of."""
    members: dict[str, int | None] = {}
    if link_members:
        members = dict(SourceRecord.objects.filter(batch=batch).values_list("ref", "member_id"))
    for i in range(0, len(issues), WRITE_CHUNK):
        chunk = issues[i:i + WRITE_CHUNK]
        for issue in chunk:
            issue.batch = batch
            if link_members:
                issue.member_id = members.get(issue.refs)
        with transaction.atomic():
            ImportIssue.objects.bulk_create(chunk, batch_size=500)
        if pause and i + WRITE_CHUNK < len(issues):
            pause()


def _nid(person: dict[str, str]) -> str:
    return re.sub(r"[\s.\-]", "", person.get("national_id") or "")


def _who(m: Member) -> str:
    year = f", sinh năm {m.birth_date.year}" if m.birth_date else ""
    return f"{m.full_name}{year}, {m.organization.name}"


def conflicts(plans: list, *, actor=None) -> tuple[list[Problem], str]:
    """Persons of `plans` (``(person, refs, org, where)``) whose ID number any member holds, or whose
    party card number a current member holds (what `members.services.member_create` refuses), or that
    another person of these rolls also carries — one :class:`Problem` per person, every field on one
    line. Also returns a hint when those members came from earlier import batches the actor sees (the
    same roll uploaded again). The other member is named only to whoever's scope covers them (the
    duplicates-without-an-oracle rule of the member services)."""
    ids: dict[str, list[int]] = defaultdict(list)
    cards: dict[str, list[int]] = defaultdict(list)
    for i, (person, _refs, _org, _where) in enumerate(plans):
        if nid := _nid(person):
            ids[nid].append(i)
        if key := member_rules.card_key(person.get("party_card_no")):
            cards[key].append(i)
    holders: dict[tuple[str, str], Member] = {}
    keys = list(ids)
    for k in range(0, len(keys), 500):
        for m in Member.objects.filter(national_id__in=keys[k:k + 500]).select_related("organization"):
            holders[("national_id", m.national_id)] = m
    keys = list(cards)
    for k in range(0, len(keys), 500):
        for m in Member.objects.filter(card_key__in=keys[k:k + 500], state__in=member_rules.COUNTED_STATES) \
                .select_related("organization"):
            holders[("card_number", m.card_key)] = m
    scope = scope_of(actor) if getattr(actor, "is_authenticated", False) else None
    found: dict[int, dict[str, str]] = defaultdict(dict)  # plan index → field → the other one, in words
    for fld, index in (("national_id", ids), ("card_number", cards)):
        for value, where in index.items():
            other = holders.get((fld, value))
            if other is not None:
                named = scope is None or scope.covers_path(other.org_path)
                for i in where:
                    found[i][fld] = f"đã có trong danh sách đảng viên ({_who(other)})" if named else \
                        "đã có trong danh sách đảng viên"
            elif len(where) > 1:
                for i in where:
                    others = ", ".join(plans[j][3] for j in where if j != i)
                    found[i][fld] = f"trùng với {others} — hai người khác nhau không thể cùng một số"
    problems = []
    for i in sorted(found):
        person, refs, _org, _where = plans[i]
        parts = found[i]
        if len(set(parts.values())) == 1:
            message = f"{' và '.join(_FIELD_WORDS[f] for f in parts)} {next(iter(parts.values()))}"
        else:
            message = "; ".join(f"{_FIELD_WORDS[f]} {text}" for f, text in parts.items())
        problems.append(Problem(list(refs), person["full_name"], message, list(parts)))
    return problems, _earlier_batches(holders.values(), actor=actor, scope=scope)


def _earlier_batches(members: Iterable[Member], *, actor, scope) -> str:
    ids = {m.pk for m in members}
    if not ids:
        return ""
    batches = ImportBatch.objects.filter(
        pk__in=SourceRecord.objects.filter(member_id__in=ids).values("batch_id"), status=ImportBatch.DONE)
    if scope is not None:
        batches = batches.filter(org_path__startswith=scope.org_path or "\0")
    batches = list(batches.order_by("id")[:5])
    if not batches:
        return ("Những người này đã có trong sổ đảng viên: có thể danh sách đã được nhập trước đây. Hãy bỏ các "
                "dòng đó khỏi tệp (hoặc sửa số cho đúng) rồi tải lên lại.")
    named = ", ".join(f"#{b.pk} ({timezone.localtime(b.created_at):%d/%m/%Y})" for b in batches)
    return (f"Những người này đã được nhập ở lần nhập {named}: có thể tệp đã được tải lên hai lần — không cần "
            "nhập lại. Nếu trong tệp có người mới, hãy chỉ để lại các dòng đó rồi tải lên lại.")


__all__ = ["Problem", "conflicts", "issues_write", "problem_issues", "report_issues"]
