"""what-is-due (`procedures.selectors.due_list`) beside another checkout's, interleaved (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:54363/dangbo nice -n 5 .venv/bin/python bench/due_peer.py \\
        --province T00025 --runs 5 --peer /tmp/search-before/src

On a bench/national_generate.py database: an office user of the province (runs times) and of the
root (once), ours and the peer's `due_list`, wall and process CPU medians; checks both give the same
items. The accounts are written in a transaction rolled back at the end. `--page`: ours is what the
page `/viec-can-lam/` reads for a list longer than a page (issue 14, third round: `due_summary`, the
first page of the first kind, its organisations), checked against the peer's list by kind; with
`--peer-page` the peer reads its own page the same way (its `procedures/due.py`, session 10: the
root's list is too long to build), and both pages are checked equal (counts, rows; the breakdowns'
totals: since session 11 ours names the organisations directly under the page's, the peer's may name
cells). A peer older than session 11 reads `ProbationCount`, which this checkout's models no longer
have: its `due.py` loaded here cannot run — bench/due_reads.py runs the peer in its own process.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()
from django.db import transaction  # noqa: E402

from dangbo.accounts.services import account_create  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.procedures import selectors as ours  # noqa: E402


def page(user) -> list:
    """What `procedures.views.due` reads for a long list: the counts, one page, the organisations."""
    from dangbo.procedures import due

    s = ours.due_summary(user=user)
    kind = s.kind(None)
    due.org_breakdown(s, kind)
    return due.page(s, kind, 1)


def _load(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def peer_page(peer, peer_due, user) -> tuple:
    """The peer's page reads (its `due.summary` on its own `_built_kinds`), as `page`."""
    from datetime import date

    from dangbo.accounts.selectors import scope_of

    ctx = peer_due.context(scope_of(user).org_path, date.today(), peer.HORIZON_DAYS)
    s = peer_due.summary(ctx, peer._built_kinds(ctx))
    kind = s.kind(None)
    return s, peer_due.org_breakdown(kind), peer_due.page(s, kind, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description="due_list, ours beside a peer")
    ap.add_argument("--province", required=True, help="organisation code")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--root-runs", type=int, default=1, help="runs for the root's office (0: skip; minutes at 5.9 M)")
    ap.add_argument("--peer", required=True, help="src directory of the code to compare with")
    ap.add_argument("--page", action="store_true", help="ours: the page's reads (counts, one page), not the list")
    ap.add_argument("--peer-page", action="store_true", help="with --page: the peer reads its page too (its due.py)")
    args = ap.parse_args()
    peer = _load("peer_proc", os.path.join(args.peer, "dangbo/procedures/selectors.py"))
    peer_due = _load("peer_due", os.path.join(args.peer, "dangbo/procedures/due.py")) if args.peer_page else None
    for name in ("DUE_SOURCES", "DUE_LABELS"):  # what the other apps registered (in our module, by import)
        getattr(peer, name, {}).update(getattr(ours, name, {}))
    print("load", open("/proc/loadavg").read().split()[:3])
    with transaction.atomic():
        root = Organization.objects.get(parent=None, depth=0, code__startswith="TW")
        for code, runs in ((args.province, args.runs), (root.code, args.root_runs)):
            if not runs:
                continue
            user = account_create(actor=None, username=f"due-{code}", password="x", role="office",
                                  organization=Organization.objects.get(code=code), check_password=False)
            times = {"ours": [], "peer": []}
            if peer_due is not None:  # one untimed read each first: the cache as warm for both
                page(user)
                peer_page(peer, peer_due, user)
            for _ in range(runs):
                for name, module in (("ours", ours), ("peer", peer)):
                    c0, t0 = time.process_time(), time.perf_counter()
                    if name == "ours" and args.page:
                        page(user)
                    elif peer_due is not None:
                        peer_page(peer, peer_due, user)
                    else:
                        module.due_list(user=user)
                    times[name].append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
            for name, v in times.items():
                print(f"{code} {name}: median wall {statistics.median(w for w, _ in v):.0f} ms, "
                      f"median CPU {statistics.median(c for _, c in v):.0f} ms (n={len(v)})")
            if peer_due is not None:
                from dangbo.procedures import due

                s = ours.due_summary(user=user)
                theirs, breakdown, rows = peer_page(peer, peer_due, user)
                kind = s.kind(None)
                assert [(k.key, k.count, k.late) for k in s.kinds] == [(k.key, k.count, k.late) for k in theirs.kinds]
                top, more_orgs, more_items = due.org_breakdown(s, kind)  # the children (the peer: top cells)
                assert sum(n for _, n, _ in top) + more_items == sum(n for _, n in breakdown[0]) + breakdown[2]
                assert due.page(s, kind, 1) == rows
                print("kinds", [(k.key, k.count, k.late) for k in s.kinds if k.count], "first kind's top", breakdown[0][:3])
                continue
            old = peer.due_list(user=user)
            if args.page:
                s = ours.due_summary(user=user)
                assert s.total == len(old) and s.late == sum(d.late for d in old)
                print("kinds", [(k.key, k.count, k.late) for k in s.kinds if k.count])
            else:
                assert sorted(map(repr, ours.due_list(user=user))) == sorted(map(repr, old))
        print("same items as the peer" if peer_due is None else "same page as the peer's")
        transaction.set_rollback(True)
    print("load", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    main()
