"""Benchmark: tally a paper-ballot round of 2,000 ballots × 60 candidates with the hash chain.

Goal (issue 4): < 1 s. Three timings, medians of `--runs` runs, on the same generated ballots:
- floor: a bare Counter over the kept names (no validity rules, no chain) — the least any tally costs;
- pure: `elections.rules.tally` (CON-6..8) + `elections.chain.chain` (SHA-256 over every entry) + export rows;
- service: `elections.services.election_tally` on the database — reads the accepted ballots in chain
  order, tallies on the stored base, recomputes the fingerprint, stores the result, numbers the minutes.
It also times double entry through `ballot_enter` on a sample (`--entry-sample` ballots × 2 tellers,
two members of the round's approved counting committee with their own logins, as the service requires).

    export DATABASE_URL=sqlite:////tmp/bench_elections.sqlite3   # a scratch database
    .venv/bin/dangbo migrate
    .venv/bin/python bench/election_tally.py [--ballots 2000] [--candidates 60] [--seats 47] [--runs 7] [--json]

Setup shortcuts (outside the timings): the base is written directly (2,000 members are not summoned
one by one) and the accepted ballots of the service run are bulk-inserted with their chain hashes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")

import django  # noqa: E402

django.setup()

from dangbo.congress.services import congress_create  # noqa: E402
from dangbo.elections import chain, rules, services  # noqa: E402
from dangbo.elections.models import ACCEPTED, COUNTING, Ballot, Election  # noqa: E402
from dangbo.orgs.services import org_found  # noqa: E402


def make_ballots(n: int, candidates: int, seats: int, seed: int) -> list[tuple[int, set[int], set[str]]]:
    rng = random.Random(seed)
    numbers = list(range(1, candidates + 1))
    out = []
    for no in range(1, n + 1):
        kept = set(rng.sample(numbers, rng.randint(seats - 12, seats)))
        flags = set()
        r = rng.random()
        if r < 0.01:
            flags = {rules.FLAG_MARK}
        elif r < 0.02:
            kept = set(rng.sample(numbers, seats + 1))  # too many names: invalid
        out.append((no, kept, flags))
    return out


def timed(fn, runs: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times, result


def pure(cands, ballots, seats, base):
    result = rules.tally(cands, ballots, seats=seats, base=base)
    rows = chain.export_rows(ballots)
    return result, rows[-1]["hash"]


def floor(ballots):
    c = Counter()
    for _no, kept, _flags in ballots:
        c.update(kept)
    return c


def setup_election(cands, ballots, seats, base) -> Election:
    stamp = f"{time.time_ns() % 10**9}"
    org = org_found(actor=None, code=f"BENCH-EL-{stamp}", name=f"Chi bộ đo kiểm phiếu {stamp}", kind="committee",
                    parent=None, on=date(2025, 6, 1))
    congress = congress_create(actor=None, organization=org, kind="delegates", term="2025–2030",
                               name=f"Đại hội đo kiểm phiếu {stamp}", start_date=date(2025, 6, 20))
    e = services.election_create(actor=None, congress=congress, body="executive_committee", seats=seats,
                                 candidates=[name for _no, name in cands])
    Election.objects.filter(pk=e.pk).update(base=base, base_parts={"kind": "delegates", "summoned": base,
                                                                    "present": base, "excluded": {}, "base": base})
    e = services.election_open(actor=None, election=Election.objects.get(pk=e.pk))
    e = services.election_count_start(actor=None, election=e, issued=len(ballots), returned=len(ballots))
    hashes = chain.chain(ballots)
    prev = ([chain.GENESIS] + hashes)[:len(hashes)]
    Ballot.objects.bulk_create([
        Ballot(election=e, ballot_no=no, status=ACCEPTED, kept=sorted(kept), flags=sorted(flags), seq=i,
               prev=p, hash=h)
        for i, ((no, kept, flags), p, h) in enumerate(zip(ballots, prev, hashes, strict=True), start=1)],
        batch_size=500)
    return e


def service_run(e: Election):
    Election.objects.filter(pk=e.pk).update(status=COUNTING, result={}, fingerprint="")
    t = time.perf_counter()
    closed = services.election_tally(actor=None, election=e)
    return time.perf_counter() - t, closed


def tellers(e: Election) -> list:
    """Two members of the round's congress on its counting committee, approved, each with a login (CON-9)."""
    from dangbo.accounts.services import account_create
    from dangbo.congress.services import body_member_add, body_vote_record, delegate_add, delegate_check_in
    from dangbo.members.services import member_create

    c, users = e.congress, []
    for i in (1, 2):
        m = member_create(actor=None, organization=c.organization, admission_date=date(2000, 3, 2),
                          official_date=date(2001, 3, 2),
                          profile={"full_name": f"Tổ Viên Kiểm Phiếu {'AB'[i - 1]}", "sex": "M",
                                   "birth_date": date(1975, 5, 5)})
        d = delegate_add(actor=None, congress=c, member=m)
        delegate_check_in(actor=None, congress=c, delegate=d)
        body_member_add(actor=None, congress=c, kind="counting", delegate=d, is_head=i == 1)
        users.append(account_create(actor=None, username=f"bench-teller-{c.pk}-{i}", password="bench-teller-pass",
                                    role="member", member=m, check_password=False))
    body_vote_record(actor=None, congress=c, kind="counting", votes_for=2, votes_against=0, votes_abstain=0)
    return users


def entry_sample(cands, ballots, seats, base, sample: int) -> float:
    """Median ms per `ballot_enter` call (each ballot by both tellers) on a fresh round."""
    e = setup_election(cands, [], seats, base)
    e = services.election_count_start(actor=None, election=e, issued=sample, returned=sample)
    users = tellers(e)
    times = []
    for no, kept, flags in ballots[:sample]:
        for teller in (1, 2):
            t = time.perf_counter()
            services.ballot_enter(actor=users[teller - 1], election=e, teller=teller, ballot_no=no,
                                  kept=sorted(kept), flags=sorted(flags))
            times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", type=int, default=2000)
    ap.add_argument("--candidates", type=int, default=60)
    ap.add_argument("--seats", type=int, default=47)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--entry-sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    cands = [(i, f"Ứng Viên Số {i:02d}") for i in range(1, a.candidates + 1)]
    ballots = make_ballots(a.ballots, a.candidates, a.seats, a.seed)
    base = a.ballots + 20
    floor_s, _, _ = timed(lambda: floor(ballots), a.runs)
    pure_s, _, (result, fp) = timed(lambda: pure(cands, ballots, a.seats, base), a.runs)
    e = setup_election(cands, ballots, a.seats, base)
    service_times, closed = [], None
    for _ in range(a.runs):
        t, closed = service_run(e)
        service_times.append(t)
    service_s = statistics.median(service_times)
    assert closed.fingerprint == fp and closed.result["elected"] == result.elected, "service and pure disagree"
    entry_ms = entry_sample(cands, ballots, a.seats, base, a.entry_sample)
    out = {"ballots": a.ballots, "candidates": a.candidates, "seats": a.seats, "runs": a.runs,
           "database": django.db.connection.vendor,
           "floor_counter_ms": round(1000 * floor_s, 1), "pure_tally_chain_ms": round(1000 * pure_s, 1),
           "service_tally_ms": round(1000 * service_s, 1),
           "pure_vs_floor": round(pure_s / floor_s, 1), "service_vs_pure": round(service_s / pure_s, 2),
           "ballot_enter_ms_median": round(entry_ms, 2), "valid": result.valid, "invalid": result.invalid,
           "elected": len(result.elected), "goal_met": pure_s < 1 and service_s < 1}
    if a.json:
        print(json.dumps(out))
        return
    for k, v in out.items():
        print(f"{k:>24}: {v}")


if __name__ == "__main__":
    main()
