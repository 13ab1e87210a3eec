"""Time member search and the tree page on the database bench/generate.py filled (not a test).

    DATABASE_URL=sqlite:////tmp/bench1m.sqlite3 .venv/bin/python bench/search_bench.py --n 200 --peer-n 40

For each query, in turn (so machine noise hits all of them alike):
  ours   members.selectors.member_search(user=office, query=q, limit=50), results evaluated
  ours_counted  what the search page reads: the count (up to SEARCH_COUNT_CAP) and the first 50
  page   GET /dang-vien/?q=... as the office user (count, first page, the HTTP view and template)
  admin  GET /quan-tri/members/member/?q=... as a superuser: Django admin's changelist search
         (search_fields = ["full_name"], i.e. full_name icontains), the peer we compare against
The admin is slow at a million rows, so it runs on the first --peer-n queries only; its ratios
compare it with ours on exactly those queries. Then org_tree(user=office) and GET /to-chuc/.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.test import Client  # noqa: E402

from dangbo.members.models import Member  # noqa: E402
from dangbo.members.selectors import member_search, member_search_results  # noqa: E402
from dangbo.orgs.selectors import org_tree  # noqa: E402
from dangbo.text.vietnamese import fold  # noqa: E402

KINDS = ("full_folded", "given_diacritics", "given_plain", "surname_middle", "middle_given", "middle_given_diacritics",
         "live_prefix")


def draw_queries(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n (kind, query) pairs from random existing members, the kinds taking turns."""
    bounds = Member.objects.aggregate(lo=Min("id"), hi=Max("id"))
    ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(n * 2)]
    people = list(Member.objects.filter(id__in=ids).values("full_name", "surname", "middle_name", "given_name"))
    rng.shuffle(people)
    out = []
    for i, p in enumerate(people[:n]):
        kind = KINDS[i % len(KINDS)]
        out.append((kind, {
            "full_folded": fold(p["full_name"]),
            "given_diacritics": p["given_name"],
            "given_plain": fold(p["given_name"]),
            "surname_middle": fold(f"{p['surname']} {p['middle_name']}"),
            "middle_given": fold(f"{p['middle_name']} {p['given_name']}"),
            "middle_given_diacritics": f"{p['middle_name']} {p['given_name']}".strip(),
            "live_prefix": fold(p["given_name"])[:2],  # the first keystrokes of a live search
        }[kind]))
    return out


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def get_ok(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} -> {response.status_code}")
    response.content  # noqa: B018 - render fully


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ms[-1], 2)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="member search and tree page benchmark")
    ap.add_argument("--n", type=int, default=200, help="queries for our search and our page")
    ap.add_argument("--peer-n", type=int, default=40, help="of those, how many also go to the admin")
    ap.add_argument("--tree-n", type=int, default=10, help="repetitions of the tree selector and page")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    User = get_user_model()
    office = User.objects.select_related("account__organization").get(username="bench-office")
    admin_user = User.objects.get(username="bench-admin")
    office_client, admin_client = Client(), Client()
    office_client.force_login(office)
    admin_client.force_login(admin_user)
    queries = draw_queries(args.n, random.Random(args.seed))

    for _, q in queries[:3]:  # warm caches and connections
        member_search(user=office, query=q, limit=50)
        get_ok(office_client, "/dang-vien/?" + urlencode({"q": q}))
    def counted(q):
        results = member_search_results(user=office, query=q)
        results.count()
        return results[:50]

    times = {"ours": [], "ours_counted": [], "page": [], "admin": [], "ours_on_peer_queries": []}
    by_kind = {k: [] for k in KINDS}
    for i, (kind, q) in enumerate(queries):
        t = timed(lambda q=q: member_search(user=office, query=q, limit=50))
        times["ours"].append(t)
        by_kind[kind].append(t)
        times["ours_counted"].append(timed(lambda q=q: counted(q)))
        times["page"].append(timed(lambda q=q: get_ok(office_client, "/dang-vien/?" + urlencode({"q": q}))))
        if i < args.peer_n:
            times["ours_on_peer_queries"].append(t)
            url = "/quan-tri/members/member/?" + urlencode({"q": q})
            times["admin"].append(timed(lambda url=url: get_ok(admin_client, url)))

    tree_sel = [timed(lambda: org_tree(user=office)) for _ in range(args.tree_n)]
    tree_page = [timed(lambda: get_ok(office_client, "/to-chuc/")) for _ in range(args.tree_n)]

    result = {
        "database": connection.vendor,
        "members": Member.objects.count(),
        "search": {k: summary(v) for k, v in times.items() if v},
        "search_by_kind": {k: summary(v) for k, v in by_kind.items() if v},
        "tree": {"org_tree": summary(tree_sel), "page": summary(tree_page)},
        "examples": [q for _, q in queries[:8]],
    }
    if times["admin"]:
        peer, ours = result["search"]["admin"], result["search"]["ours_on_peer_queries"]
        result["ratio_admin_over_ours"] = {
            "median": round(peer["median_ms"] / ours["median_ms"], 1),
            "p95": round(peer["p95_ms"] / ours["p95_ms"], 1),
        }
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    print(f"{result['database']}, {result['members']:,} members; examples: {result['examples']}")
    print(f"{'what':<28}{'n':>5}{'median ms':>12}{'p95 ms':>10}{'max ms':>10}")
    rows = [*result["search"].items(), *(("ours:" + k, v) for k, v in result["search_by_kind"].items()),
            *(("tree:" + k, v) for k, v in result["tree"].items())]
    for name, s in rows:
        print(f"{name:<28}{s['n']:>5}{s['median_ms']:>12.1f}{s['p95_ms']:>10.1f}{s['max_ms']:>10.1f}")
    if "ratio_admin_over_ours" in result:
        r = result["ratio_admin_over_ours"]
        print(f"admin / ours (same queries): median x{r['median']}, p95 x{r['p95']}")


if __name__ == "__main__":
    main()
