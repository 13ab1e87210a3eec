"""The demo build's statements by kind, and its wall and CPU time (docs/PERFORMANCE.md, «The test run's
time, second round»).

    scripts/pg-test-server run 54371 -- env DATABASE_URL=postgres://postgres@127.0.0.1:54371/dangbo \
        DANGBO_VAR=/tmp/s9ci-var nice -n 5 .venv/bin/python bench/demo_statements.py [--profile] [--top 10]

Migrates the (empty) database, then builds the demo (`demo.build.build_demo`, seed 2025, today
26/11/2026) under an execute wrapper that counts every statement by its first six words. Prints one
`RESULT` line (wall s, process CPU s, statements, SQL s) and the top statement kinds; `--profile` adds
cProfile (slower). Run the code before a change with `PYTHONPATH=/tmp/x-before/src` as the peer.
"""

import argparse
import os
import resource
import tempfile
import time
from datetime import date


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from dangbo.demo.build import build_demo

    times: dict[str, list] = {}

    def wrapper(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = times.setdefault(" ".join(sql.split()[:6])[:120], [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - t

    prof = None
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        if prof:
            prof.enable()
        build_demo(seed=2025, today=date(2026, 11, 26), rolls_dir=tempfile.mkdtemp())
        if prof:
            prof.disable()
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    count = sum(c for c, _ in times.values())
    print(f"RESULT wall={wall:.1f}s cpu={cpu:.1f}s statements={count} sql={sum(s for _, s in times.values()):.1f}s "
          f"vendor={connection.vendor} load={open('/proc/loadavg').read().split()[0]}")
    for key, (c, s) in sorted(times.items(), key=lambda kv: -kv[1][0])[:args.top]:
        print(f"{c:7d} {s:8.2f}s  {key}")
    if prof:
        import pstats

        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
