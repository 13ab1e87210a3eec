"""The reads of «Việc cần làm» for one office, ours beside a peer checkout's, interleaved run by run
(not a test; issue 14, sessions 10–11).

    git archive <rev> src | tar -x -C /tmp/X-before
    DATABASE_URL=postgres://postgres@127.0.0.1:54390/dangbo nice -n 5 .venv/bin/python bench/due_reads.py \\
        --org TW00000 --runs 7 --peer /tmp/X-before/src

Each run starts one process per side (ours: this checkout's src; the peer: `PYTHONPATH=<peer>`), which
reads everything once untimed (connection, caches), then times each read once:
- "counts": `due.summary` of the SQL kinds (the counts per kind and organisation; no built kinds);
- "breakdown": `due.org_breakdown` of the first kind (the names; the peer: its top cells');
- "first page": `due.page(…, 1)` of the first kind;
- "badge count": `selectors._badges_due(…, count=True)` (the same code in both, unless it changed);
- "page": what the view `/viec-can-lam/` reads for the office: `due_summary` (every kind), the
  breakdown, the first page;
- "GET /viec-can-lam/": the page through Django's test client (middleware, view, template).
Prints per read the wall medians (ms) of both sides, the ratio, the load average before and after;
checks that both sides give the same counts per kind, the same first page and the same badge count. An office account is
written in a transaction rolled back at the end (the page's user).
"""

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
import time

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def one(org_code: str) -> dict:
    """In this process (`PYTHONPATH` picks the side): every read once untimed, then once timed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()
    from datetime import date

    from django.db import transaction

    from dangbo.accounts.services import account_create
    from dangbo.core.rulesettings import configured
    from dangbo.members import rules as mr
    from dangbo.orgs.models import Organization
    from dangbo.procedures import due
    from dangbo.procedures import selectors as sel

    two = len(inspect.signature(due.org_breakdown).parameters) == 2  # ours: (summary, kind)

    def breakdown(s, kind):
        return due.org_breakdown(s, kind) if two else due.org_breakdown(kind)

    out = {}
    with transaction.atomic():
        org = Organization.objects.get(code=org_code)
        user = account_create(actor=None, username=f"due-reads-{org_code}", password="x", role="office",
                              organization=org, check_password=False)
        today = date.today()
        ctx = due.context(org.path, today, sel.HORIZON_DAYS)
        cfg = configured(mr.MemberRuleSettings)
        occasion = mr.next_award_day(today, settings=cfg)
        s = due.summary(ctx, {})
        first = s.kind(None)

        def page():
            ps = sel.due_summary(user=user)
            kind = ps.kind(None)
            breakdown(ps, kind)
            return due.page(ps, kind, 1)

        from django.test import Client

        client = Client()
        client.force_login(user)

        def http():
            response = client.get("/viec-can-lam/")
            assert response.status_code == 200, response.status_code
            return response.content

        reads = {
            "counts": lambda: due.summary(ctx, {}),
            "breakdown": lambda: breakdown(s, first),
            "first page": lambda: due.page(s, first, 1),
            "badge count": lambda: sel._badges_due(org.path, occasion, today, cfg, count=True),
            "page": page,
            "GET /viec-can-lam/": http,
        }
        for fn in reads.values():
            fn()
        for name, fn in reads.items():
            t0 = time.perf_counter()
            fn()
            out[name] = (time.perf_counter() - t0) * 1000
        whole = sel.due_summary(user=user)
        out["_check"] = {"kinds": [(k.key, k.count, k.late) for k in whole.kinds],
                         "first page": [[str(d.on), d.kind, d.who, d.org, d.url, d.late] for d in due.page(s, first, 1)],
                         "breakdown": [list(t) for t in breakdown(s, first)[0]],
                         "badges": sel._badges_due(org.path, occasion, today, cfg, count=True)}
        transaction.set_rollback(True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="what-is-due's reads, ours beside a peer, one process per run and side")
    ap.add_argument("--org", required=True, help="organisation code")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peer", help="src directory of the code to compare with")
    ap.add_argument("--one", action="store_true", help="(internal) this process's reads, as JSON")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.org)))
        return
    sides = {"ours": os.path.abspath(SRC), "peer": args.peer}
    times: dict[str, dict[str, list]] = {side: {} for side in sides}
    checks = {}
    load0 = open("/proc/loadavg").read().split()[:3]
    for _ in range(args.runs):
        for side, src in sides.items():
            env = {**os.environ, "PYTHONPATH": src}
            got = json.loads(subprocess.run([sys.executable, __file__, "--one", "--org", args.org], env=env,
                                            check=True, capture_output=True, text=True).stdout.splitlines()[-1])
            checks[side] = got.pop("_check")
            for name, ms in got.items():
                times[side].setdefault(name, []).append(ms)
    ours, peer = checks["ours"], checks["peer"]
    assert ours["kinds"] == peer["kinds"], (ours["kinds"], peer["kinds"])
    assert ours["first page"] == peer["first page"]
    assert ours["badges"] == peer["badges"], (ours["badges"], peer["badges"])
    print(args.org, "load", load0, "→", open("/proc/loadavg").read().split()[:3])
    print(args.org, "kinds", [k for k in ours["kinds"] if k[1]], "badge count", ours["badges"])
    print(args.org, "breakdown ours", ours["breakdown"][:3], "peer", peer["breakdown"][:3])
    for name in times["ours"]:
        o, p = statistics.median(times["ours"][name]), statistics.median(times["peer"][name])
        print(f"{args.org} {name}: ours {o:.0f} ms, peer {p:.0f} ms, ratio {o / p:.2f} (n={args.runs}; "
              f"ours {min(times['ours'][name]):.0f}–{max(times['ours'][name]):.0f}, "
              f"peer {min(times['peer'][name]):.0f}–{max(times['peer'][name]):.0f})")


if __name__ == "__main__":
    main()
