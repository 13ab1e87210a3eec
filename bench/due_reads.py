"""The three reads of «Việc cần làm» for one office (issue 14, session 10), ours beside a peer checkout's,
interleaved (not a test): the counts by kind and organisation (`due._grouped` / the peer's
`due.summary` grouped query), the first page of the first kind, the badge count (same code in both).

    DATABASE_URL=postgres://postgres@127.0.0.1:54390/dangbo nice -n 5 .venv/bin/python bench/due_reads.py \\
        --org TW00000 --runs 7 --peer /tmp/s10d-before/src

Prints wall medians (ms) per read, ours and the peer's, the ratio and the load average; reads only.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()
sys.path.insert(0, os.path.dirname(__file__))
import due_peer  # noqa: E402

from dangbo.core.rulesettings import configured  # noqa: E402
from dangbo.members import rules as mr  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402
from dangbo.procedures import due  # noqa: E402
from dangbo.procedures import selectors as sel  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description="what-is-due's three reads, ours beside a peer")
    ap.add_argument("--org", required=True, help="organisation code")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peer", required=True, help="src directory of the code to compare with")
    args = ap.parse_args()
    peer_due = due_peer._load("peer_due", os.path.join(args.peer, "dangbo/procedures/due.py"))
    org = Organization.objects.get(code=args.org)
    today = date.today()
    ctx, pctx = due.context(org.path, today, sel.HORIZON_DAYS), peer_due.context(org.path, today, sel.HORIZON_DAYS)
    cfg = configured(mr.MemberRuleSettings)
    occasion = mr.next_award_day(today, settings=cfg)

    def ours_counts():
        return due.summary(ctx, {})

    def peer_counts():
        return peer_due.summary(pctx, {})

    s, ps = ours_counts(), peer_counts()
    first, pfirst = s.kind(None), ps.kind(None)
    reads = {
        "counts": (ours_counts, peer_counts),
        "first page": (lambda: due.page(s, first, 1), lambda: peer_due.page(ps, pfirst, 1)),
        "badge count": (lambda: sel._badges_due(org.path, occasion, today, cfg, count=True),) * 2,
    }
    assert [(k.key, k.count) for k in s.kinds] == [(k.key, k.count) for k in ps.kinds]
    assert due.page(s, first, 1) == peer_due.page(ps, pfirst, 1)
    print(args.org, "load", open("/proc/loadavg").read().split()[:3])
    for name, (ours, peer) in reads.items():
        times = {"ours": [], "peer": []}
        for _ in range(args.runs):
            for who, fn in (("ours", ours), ("peer", peer)):
                t0 = time.perf_counter()
                fn()
                times[who].append((time.perf_counter() - t0) * 1000)
        o, p = statistics.median(times["ours"]), statistics.median(times["peer"])
        print(f"{args.org} {name}: ours {o:.0f} ms, peer {p:.0f} ms, ratio {o / p:.2f} (n={args.runs})")
    print(args.org, "load", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    main()
