"""Time the pages an office user opens, at the nation's scale (issue 14; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:54390/dangbo nice -n 5 .venv/bin/python \\
        bench/national_pages.py --runs 5 --n 200 --peer /tmp/search-before/src

On a database bench/national_generate.py filled (root → 63 provinces → districts → grassroots), as
an office user of the root and of the largest province:
  tree       orgs.selectors.org_tree as the page calls it (first levels), the whole tree, and GET /to-chuc/
  home       GET / (the dashboard: it lists the grassroots organisations)
  search     members.selectors.member_search over --n queries (bench/search_bench.py's kinds), p95,
             and GET /dang-vien/?q= (the search page)
  due        GET /viec-can-lam/ as the province's office (procedures.selectors.due_list)
  quota      an appraisal campaign opened for the province (appraisal.services.campaign_open; its
             members' proposed grades then set at random in SQL), then the APR-4 quota check:
             appraisal.selectors.quota_boxes for the whole province and GET /danh-gia/<id>/ty-le/
             for one grassroots unit (the htmx box of the decision page); its one query timed with the
             reviews' default order (the code before, which joined every member row) and without
  api        GET /api/orgs/ as the root's and the province's office (the whole tree before; now the
             levels that fit in orgs.api.API_TREE_ROWS rows), ours through HTTP and both handlers
             called directly
--peer DIR loads orgs/selectors.py, orgs/views.py, orgs/api.py and appraisal/selectors.py from
another checkout's src (the code before a change, from `git archive <commit> src`) and times its
org_tree, tree page, API handler and quota_boxes, interleaved with ours, in the same process (the
peer's quota boxes are checked equal to ours).
--only quota,api (comma-separated parts: tree, search, due, quota, api) runs only those parts.

Everything the script writes (two accounts, their sessions, the campaign and its reviews) is written
inside one transaction that is rolled back at the end: the database is left as it was.
"""

import argparse
import importlib.util
import inspect
import json
import os
import random
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(__file__))
import search_bench  # noqa: E402  (sets up Django)
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402

from dangbo.accounts.services import account_create  # noqa: E402
from dangbo.appraisal import kept as appraisal_kept  # noqa: E402
from dangbo.appraisal import selectors as appraisal_selectors  # noqa: E402
from dangbo.appraisal.services import campaign_open  # noqa: E402
from dangbo.members.models import Member  # noqa: E402
from dangbo.members.selectors import member_search  # noqa: E402
from dangbo.orgs import api as org_api  # noqa: E402
from dangbo.orgs import selectors as tree_selectors  # noqa: E402
from dangbo.orgs import views as org_views  # noqa: E402
from dangbo.orgs.models import Organization  # noqa: E402

timed, summary, get_ok = search_bench.timed, search_bench.summary, search_bench.get_ok


def load_peer(src: str):
    """orgs/selectors.py and orgs/views.py of another checkout as separate modules (the rest of
    dangbo is ours), the peer view reading through the peer selectors and rendering the peer's
    tree template."""
    def load(name, rel):
        spec = importlib.util.spec_from_file_location(name, os.path.join(src, "dangbo/orgs", rel))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    selectors = load("peer_org_selectors", "selectors.py")
    views = load("peer_org_views", "views.py")
    views.selectors = selectors
    with open(os.path.join(src, "dangbo/orgs/templates/orgs/tree.html"), encoding="utf-8") as f:
        template = engines["django"].from_string(f.read())
    views.render = lambda request, _name, context: HttpResponse(template.render(context, request))
    api = load("peer_org_api", "api.py")
    api.selectors = selectors
    spec = importlib.util.spec_from_file_location("peer_appraisal_selectors",
                                                  os.path.join(src, "dangbo/appraisal/selectors.py"))
    appraisal = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(appraisal)
    return selectors, views, api, appraisal


def api_times(label, user, runs, peer, out):
    """GET /api/orgs/: ours through HTTP and its handler called directly, the peer's handler (the
    whole tree) called directly, interleaved."""
    client = client_for(user)
    request = RequestFactory().get("/api/orgs/")
    request.user = user
    variants = [("ours", lambda: org_api.org_tree(request, root=None, levels=None))]
    if peer:
        # a peer whose handler already takes ``root`` / ``levels`` (ninja Query defaults, not values, when
        # called directly) gets them as ours does; an older one takes the request alone
        params = inspect.signature(peer[2].org_tree).parameters
        extra = {k: None for k in ("root", "levels") if k in params}
        variants.append(("peer", lambda: peer[2].org_tree(request, **extra)))
    for _ in range(runs):
        out.setdefault(f"{label}: GET /api/orgs/ (ours)", []).append(timed(lambda: get_ok(client, "/api/orgs/")))
        for name, call in variants:
            out.setdefault(f"{label}: /api/orgs/ handler ({name})", []).append(timed(call))


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def view_page(view, user) -> None:
    """The tree view called directly (no middleware), the same way for ours and the peer's."""
    request = RequestFactory().get("/to-chuc/")
    request.user = user
    response = view(request)
    assert response.status_code == 200, response.status_code
    response.content  # noqa: B018


def tree_times(label, user, runs, peer, out, home=True):
    """Ours and the peer's tree, interleaved: what the page's view reads (ours: the level counts and
    the levels that fit; the peer: its two first levels), the whole tree (the API, the home page),
    the view rendered, and the real page GET /to-chuc/ (ours)."""
    client = client_for(user)

    def ours_page_reads():
        levels = tree_selectors.org_tree_levels(user=user)
        return tree_selectors.org_tree(user=user, max_level=org_views.open_levels(levels))

    variants = [("ours", ours_page_reads, tree_selectors, org_views)]
    if peer:
        variants.append(("peer", lambda: peer[0].org_tree(user=user, max_level=2), peer[0], peer[1]))
    for _ in range(runs):
        for name, page_reads, selectors, views in variants:
            out.setdefault(f"{label}: tree page's reads ({name})", []).append(timed(page_reads))
            out.setdefault(f"{label}: org_tree whole ({name})", []).append(
                timed(lambda m=selectors: m.org_tree(user=user)))
            out.setdefault(f"{label}: tree view rendered ({name})", []).append(
                timed(lambda v=views: view_page(v.org_tree, user)))
        out.setdefault(f"{label}: GET /to-chuc/ (ours)", []).append(timed(lambda: get_ok(client, "/to-chuc/")))
        if home:
            out.setdefault(f"{label}: GET / home (ours)", []).append(timed(lambda: get_ok(client, "/")))


def open_campaign(province, office) -> tuple:
    """A campaign for the province with every review proposed at random (APR-4 has something to count);
    the SQL update bypasses the services, so the kept counts are then rebuilt (appraisal.kept, timed)."""
    t0 = time.perf_counter()
    campaign = campaign_open(actor=office, organization=province, year=2025)
    opened = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("""UPDATE appraisal_review SET status = 'proposed',
                       proposed_grade = CASE WHEN random() < 0.25 THEN 'excellent'
                                             WHEN random() < 0.8 THEN 'good' ELSE 'completed' END
                       WHERE campaign_id = %s AND status <> 'decided'""", [campaign.pk])
        cur.execute("ANALYZE appraisal_review")
    t0 = time.perf_counter()
    appraisal_kept.rebuild(campaign_id=campaign.pk)
    rebuilt = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE appraisal_quotacount")  # as autovacuum would after a bulk load
    unit = (campaign.reviews.values_list("unit_id", flat=True).order_by("unit_id").first())
    return campaign, unit, opened, rebuilt


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="pages at the nation's scale")
    ap.add_argument("--runs", type=int, default=5, help="repetitions of each page")
    ap.add_argument("--n", type=int, default=200, help="member search queries (0: none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peer", help="src directory of the code to compare org_tree with")
    ap.add_argument("--no-quota", action="store_true", help="skip the appraisal campaign (it writes ~1/63 of the members)")
    ap.add_argument("--no-home", action="store_true", help="skip the home page (tens of seconds at the root)")
    ap.add_argument("--only", help="comma-separated parts to run: tree,search,due,quota,api (default: all)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    parts = set((args.only or "tree,search,due,quota,api").split(","))
    if args.no_quota:
        parts.discard("quota")
    peer = load_peer(args.peer) if args.peer else None

    root = Organization.objects.get(parent=None, depth=0, code__startswith="TW")
    province = max(Organization.objects.filter(parent=root), key=lambda o: tree_selectors.org_member_counts(org=o)["official"])
    times: dict[str, list[float]] = {}
    facts = {"database": connection.vendor, "members": Member.objects.count(),
             "organisations": Organization.objects.count(), "province": province.code,
             "province_members": sum(tree_selectors.org_member_counts(org=province).values()),
             "loadavg_start": open("/proc/loadavg").read().split()[:3]}
    with transaction.atomic():
        office = account_create(actor=None, username="bench-pages-root", password="x", role="office",
                                organization=root, check_password=False)
        prov_office = account_create(actor=None, username="bench-pages-province", password="x", role="office",
                                     organization=province, check_password=False)
        if "tree" in parts:
            tree_times("root", office, args.runs, peer, times, home=not args.no_home)
            tree_times("province", prov_office, args.runs, peer, times, home=not args.no_home)
        if "api" in parts:
            api_times("root", office, args.runs, peer, times)
            api_times("province", prov_office, args.runs, peer, times)
            facts["api_rows_root"] = len(client_for(office).get("/api/orgs/").json())

        client = client_for(office)
        queries = search_bench.draw_queries(args.n, random.Random(args.seed)) if args.n and "search" in parts else []
        for _, q in queries[:3]:
            member_search(user=office, query=q, limit=50)
        for _, q in queries:
            times.setdefault("search: member_search (root office)", []).append(
                timed(lambda q=q: member_search(user=office, query=q, limit=50)))
            times.setdefault("search: /dang-vien/?q= (root office)", []).append(
                timed(lambda q=q: get_ok(client, "/dang-vien/?" + urlencode({"q": q}))))

        prov_client = client_for(prov_office)
        if "due" in parts:
            times["due: /viec-can-lam/ (province office)"] = [
                timed(lambda: get_ok(prov_client, "/viec-can-lam/")) for _ in range(args.runs)]

        if "quota" in parts:
            campaign, unit, opened, rebuilt = open_campaign(province, prov_office)
            facts["campaign_open_s"] = round(opened, 1)
            facts["quota_counts_rebuild_s"] = round(rebuilt, 2)
            facts["reviews"] = campaign.reviews.count()
            if peer:  # the same boxes (the peer sorted by unit name and group only)
                def key(r):
                    return (r["unit"], r["peer_group"], r["unit_id"])
                ours_rows = appraisal_selectors.quota_boxes(user=prov_office, campaign=campaign)
                assert sorted(ours_rows, key=key) == sorted(peer[3].quota_boxes(user=prov_office, campaign=campaign),
                                                            key=key)
                facts["quota_boxes"] = len(ours_rows)
            reads = appraisal_selectors.review_list(user=prov_office, campaign=campaign).exclude(proposed_grade="") \
                .values_list("pk", "unit_id", "unit__name", "unit__path", "peer_group", "proposed_grade")
            for _ in range(args.runs):  # the check's one query, with the reviews' default order (before) and without
                times.setdefault("quota: its reviews query, default order (peer)", []).append(timed(lambda: list(reads.all())))
                times.setdefault("quota: its reviews query, no order (ours)", []).append(
                    timed(lambda: list(reads.order_by())))
                times.setdefault("quota: quota_boxes, whole province", []).append(
                    timed(lambda: appraisal_selectors.quota_boxes(user=prov_office, campaign=campaign)))
                if peer:
                    times.setdefault("quota: quota_boxes, whole province (peer)", []).append(
                        timed(lambda: peer[3].quota_boxes(user=prov_office, campaign=campaign)))
                times.setdefault("quota: /danh-gia/<id>/ty-le/?unit= (one unit)", []).append(
                    timed(lambda: get_ok(prov_client, f"/danh-gia/{campaign.pk}/ty-le/?unit={unit}")))
        transaction.set_rollback(True)

    facts["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    result = {**facts, "times": {k: summary(v) for k, v in times.items()}}
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    print(json.dumps(facts, ensure_ascii=False))
    print(f"{'what':<58}{'n':>5}{'median ms':>12}{'p95 ms':>10}{'max ms':>10}")
    for name, s in result["times"].items():
        print(f"{name:<58}{s['n']:>5}{s['median_ms']:>12.1f}{s['p95_ms']:>10.1f}{s['max_ms']:>10.1f}")


if __name__ == "__main__":
    main()
