"""Load and fault benchmark of congress check-in and phone voting (issue 4; not a test).

    .venv/bin/python bench/congress_load.py [--delegates 2000] [--window 60] [--pg-port 54393] [--no-pg]

For each database (SQLite with WAL in a temporary folder; PostgreSQL on a throwaway server started by
`scripts/pg-test-server` unless --no-pg) the script runs itself as a child process that:

1. migrates a scratch database and creates a congress of N delegates (none checked in), each with a
   member account and a session made directly with Django's SessionStore (no password hashing),
   plus DESKS check-in desk sessions of an office account;
2. starts gunicorn (gthread) on loopback — a real server in its own process group;
3. check-in: the N delegates arrive at random times over --checkin-window seconds and a desk scans
   each card (POST /dai-hoi/<id>/diem-danh/ number=…, answered by a redirect);
4. an open vote in phones mode is opened (a resolution: its base = the N members summoned, all
   present); each delegate, arriving at a random time over the window, opens the phone page (GET /bieu-quyet/) and presses a button
   (POST /bieu-quyet/<vote>/); "acknowledged" = HTTP 200 with «Đã ghi nhận»; latencies p50/p95/p99 per
   request kind; then every acknowledged vote is checked in the database (stored once, same choice)
   and nothing unacknowledged is stored, and the frozen result at closing equals the acknowledgements;
5. fault run: a second vote; when a third of the delegates have been acknowledged the gunicorn master
   and its workers are killed with SIGKILL (the process group the script started), the server is
   restarted after --down seconds, and clients retry the same POST (same one-time token) on any
   connection error or 5xx until acknowledged; then the same checks: no acknowledged vote lost, none
   doubled, and every delegate ends acknowledged.

Each child prints one JSON object; the parent prints {"sqlite": …, "postgresql": …} with the machine's
load average. The client runs on the same 2-core machine as the server (and anything else running).
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DESKS = 8
CHOICES, WEIGHTS = ("for", "against", "abstain"), (90, 6, 4)


# --------------------------------------------------------------------------------------------------
# parent
# --------------------------------------------------------------------------------------------------


def _child_cmd(args, db: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", db, "--delegates", str(args.delegates),
            "--window", str(args.window), "--checkin-window", str(args.checkin_window), "--workers", str(args.workers), "--threads", str(args.threads),
            "--port", str(args.port), "--down", str(args.down), "--seed", str(args.seed)]


def _run_child(cmd, env) -> dict:
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    sys.stderr.write(out.stderr[-4000:])
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"error": f"child exited {out.returncode}", "stdout": out.stdout[-2000:]}


def parent(args) -> None:
    summary = {"delegates": args.delegates, "vote_window_s": args.window, "checkin_window_s": args.checkin_window,
               "cpus": os.cpu_count(),
               "loadavg_before": [round(x, 2) for x in os.getloadavg()],
               "server": f"gunicorn gthread -w {args.workers} --threads {args.threads}"}
    with tempfile.TemporaryDirectory(prefix="dangbo-load-") as tmp:
        env = {**os.environ, "DANGBO_VAR": f"{tmp}/sqlite", "DATABASE_URL": f"sqlite:///{tmp}/sqlite/load.sqlite3"}
        env.pop("DANGBO_DEBUG", None)
        summary["sqlite"] = _run_child(_child_cmd(args, "sqlite"), env)
        if not args.no_pg:
            url = f"postgres://postgres@127.0.0.1:{args.pg_port}/dangbo"
            env = {**os.environ, "DANGBO_VAR": f"{tmp}/pg", "DATABASE_URL": url}
            env.pop("DANGBO_DEBUG", None)
            cmd = [str(ROOT / "scripts/pg-test-server"), "run", str(args.pg_port), "--", *_child_cmd(args, "postgresql")]
            summary["postgresql"] = _run_child(cmd, env)
    summary["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(summary, ensure_ascii=False, indent=1))


# --------------------------------------------------------------------------------------------------
# child: data
# --------------------------------------------------------------------------------------------------


def setup_data(n: int, seed: int):
    from datetime import date

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from dangbo.accounts.models import Account
    from dangbo.accounts.services import account_create
    from dangbo.congress.models import APPOINTED, Delegate
    from dangbo.congress.services import congress_create
    from dangbo.members.models import Member
    from dangbo.members.services import _apply_name
    from dangbo.orgs.services import org_found

    rng = random.Random(seed)
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    middles = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc"]
    givens = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Long", "Mai", "Nam", "Phúc", "Quân",
              "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến"]
    User = get_user_model()
    backend = "django.contrib.auth.backends.ModelBackend"
    with transaction.atomic():
        d = date(2025, 7, 1)
        root = org_found(actor=None, code="LOAD", name="Đảng bộ Tải thử", kind="committee", parent=None, on=d)
        orgs = [org_found(actor=None, code=f"L{i:02d}", name=f"Chi bộ cơ sở Tải {i + 1}", kind="grassroots_cell",
                          parent=root, on=d) for i in range(20)]
        congress = congress_create(actor=None, organization=root, kind="delegates", term="2025–2030",
                                   name="Đại hội tải thử", start_date=date(2025, 7, 28))
        # members and delegates in bulk (the services would add events and audit rows per person,
        # minutes of setup that measure nothing here); names get the derived columns as the services do
        members = []
        for i in range(n):
            org = orgs[i % len(orgs)]
            m = Member(organization=org, org_path=org.path, state="official", sex="M", birth_date=date(1980, 1, 1),
                       admission_date=date(2005, 1, 1), official_date=date(2006, 1, 2),
                       full_name=f"{rng.choice(surnames)} {rng.choice(middles)} {rng.choice(givens)}")
            _apply_name(m)
            members.append(m)
        Member.objects.bulk_create(members, batch_size=500)
        members = list(Member.objects.filter(org_path__startswith=root.path).order_by("id"))
        Delegate.objects.bulk_create([Delegate(congress=congress, member=m, kind="official", obtained=APPOINTED,
                                               from_org=m.organization, number=i + 1)
                                      for i, m in enumerate(members)], batch_size=500)
        delegates = list(congress.delegates.select_related("member").order_by("number"))
        users = User.objects.bulk_create([User(username=f"db{i + 1:04d}", password=make_password(None))
                                          for i in range(n)])
        users = list(User.objects.filter(username__startswith="db").order_by("username"))
        Account.objects.bulk_create([Account(user=u, role="member", member=dl.member)
                                     for u, dl in zip(users, delegates, strict=True)])
        office = account_create(actor=None, username="load-office", password="load-office-pass",
                                role="office", organization=root)

        def session(user) -> str:
            s = SessionStore()
            s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), backend
            s[HASH_SESSION_KEY] = user.get_session_auth_hash()
            s.create()
            return s.session_key

        people = [{"number": dl.number, "delegate_id": dl.pk, "session": session(u)}
                  for u, dl in zip(users, delegates, strict=True)]
        desks = [session(office) for _ in range(DESKS)]
    return congress, people, desks


# --------------------------------------------------------------------------------------------------
# child: HTTP client
# --------------------------------------------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_FIELD = re.compile(r'name="token" value="([0-9a-f]+)"')
ACTION = re.compile(r'action="/bieu-quyet/(\d+)/"')


class Client:
    def __init__(self, port: int):
        self.port = port

    def request(self, method, path, *, cookies: dict, body: dict | None = None, timeout=30.0):
        """One request on a fresh connection: (status, body text, set-cookies, seconds)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "127.0.0.1"}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            text = r.read().decode("utf-8", "replace")
            set_cookies = {}
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    set_cookies[name] = rest.split(";", 1)[0]
            return r.status, text, set_cookies, time.perf_counter() - t0
        except http.client.HTTPException as exc:  # e.g. IncompleteRead when the server dies mid-answer
            raise ConnectionError(type(exc).__name__) from exc
        finally:
            conn.close()


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return round(1000 * s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))], 1)


def stats(values) -> dict:
    return {"n": len(values), "p50_ms": pct(values, 50), "p95_ms": pct(values, 95), "p99_ms": pct(values, 99),
            "max_ms": round(1000 * max(values), 1) if values else None}


def run_arrivals(jobs, window: float, rng: random.Random, pool_size: int = 400):
    """Run each job at a uniformly random moment within `window` seconds (open-loop arrivals)."""
    start = time.perf_counter() + 0.5
    offsets = sorted(rng.uniform(0, window) for _ in jobs)

    def at(job, offset):
        delay = start + offset - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        return job()

    with ThreadPoolExecutor(max_workers=min(pool_size, len(jobs))) as ex:
        futures = [ex.submit(at, job, off) for job, off in zip(jobs, offsets, strict=True)]
        results = [f.result() for f in futures]
    return results, time.perf_counter() - start


# --------------------------------------------------------------------------------------------------
# child: server
# --------------------------------------------------------------------------------------------------


class Server:
    def __init__(self, args, log: Path):
        self.args, self.log, self.proc = args, log, None

    def start(self):
        cmd = [str(VENV_BIN / "gunicorn"), "dangbo.wsgi:application", "-b", f"127.0.0.1:{self.args.port}",
               "-k", "gthread", "-w", str(self.args.workers), "--threads", str(self.args.threads),
               "--backlog", "4096", "--preload", "--log-level", "warning", "--timeout", "60"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=open(self.log, "a"), stderr=subprocess.STDOUT,
                                     start_new_session=True)  # its own process group: master + workers
        deadline = time.time() + 240  # three workers importing Django on a busy 2-core box can take a minute
        while time.time() < deadline:
            try:
                status = Client(self.args.port).request("GET", "/dang-nhap/", cookies={}, timeout=2)[0]
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see " + str(self.log))

    def kill(self):
        """SIGKILL the master and every worker (the process group this script started)."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


# --------------------------------------------------------------------------------------------------
# child: phases
# --------------------------------------------------------------------------------------------------


def idle_probe(client, session: str, n: int = 20) -> dict:
    """Sequential requests, one at a time: the server's own latency with no queue (login page, and
    a delegate's phone page before anyone is checked in)."""
    out = {}
    for name, path, cookies in (("login_page", "/dang-nhap/", {}), ("phone_page", "/bieu-quyet/", {"sessionid": session})):
        times = []
        for _ in range(n):
            status, _, _, secs = client.request("GET", path, cookies=cookies)
            assert status == 200, (path, status)
            times.append(secs)
        out[name] = stats(times)
    return out


def check_in_phase(client, congress_id, people, desks, window, rng):
    path = f"/dai-hoi/{congress_id}/diem-danh/"
    desk_auth = []
    for key in desks:
        status, text, cookies, _ = client.request("GET", path, cookies={"sessionid": key})
        assert status == 200, status
        desk_auth.append({"sessionid": key, "csrftoken": cookies["csrftoken"], "form": CSRF_FIELD.search(text)[1]})

    def job_for(i, p):
        def job():
            desk = desk_auth[i % len(desk_auth)]
            cookies = {"sessionid": desk["sessionid"], "csrftoken": desk["csrftoken"]}
            body = {"csrfmiddlewaretoken": desk["form"], "number": str(p["number"])}
            for _attempt in range(10):  # the desk scans the card again (check-in is idempotent)
                try:
                    status, _, _, secs = client.request("POST", path, cookies=cookies, body=body)
                    return status, secs
                except OSError:
                    time.sleep(0.5)
            return 0, None
        return job

    results, elapsed = run_arrivals([job_for(i, p) for i, p in enumerate(people)], window, rng)
    ok = [s for st, s in results if st == 302]
    return {"requests": stats(ok), "ok": len(ok), "failed": len(results) - len(ok),
            "elapsed_s": round(elapsed, 1), "rate_per_s": round(len(results) / elapsed, 1)}


def vote_phase(client, people, window, rng, *, retry: bool, on_ack=None, give_up_s: float = 400.0):
    """Every delegate: GET the phone page, POST a choice; with `retry`, the same POST again on any
    connection error or 5xx until acknowledged."""
    get_t, post_t, total_t, errors = [], [], [], []
    lock = threading.Lock()

    def job_for(p):
        choice = rng.choices(CHOICES, WEIGHTS)[0]

        def job():
            t0 = time.perf_counter()
            cookies = {"sessionid": p["session"]}
            attempts, page = 0, None
            while time.perf_counter() - t0 < give_up_s:
                attempts += 1
                try:
                    status, text, set_c, secs = client.request("GET", "/bieu-quyet/", cookies=cookies)
                    if status == 200 and TOKEN_FIELD.search(text):
                        with lock:
                            get_t.append(secs)
                        page = (ACTION.search(text)[1], TOKEN_FIELD.search(text)[1], CSRF_FIELD.search(text)[1],
                                set_c.get("csrftoken"))
                        break
                    with lock:
                        errors.append(f"GET {status}")
                except OSError as exc:
                    with lock:
                        errors.append(f"GET {type(exc).__name__}")
                if not retry:
                    return {"number": p["number"], "choice": choice, "acked": False, "attempts": attempts}
                time.sleep(0.3)
            if page is None:
                return {"number": p["number"], "choice": choice, "acked": False, "attempts": attempts}
            vote_id, token, form_csrf, csrf_cookie = page
            cookies = {"sessionid": p["session"], "csrftoken": csrf_cookie}
            body = {"csrfmiddlewaretoken": form_csrf, "token": token, "choice": choice}
            while time.perf_counter() - t0 < give_up_s:
                attempts += 1
                try:
                    status, text, _, secs = client.request("POST", f"/bieu-quyet/{vote_id}/", cookies=cookies,
                                                           body=body)
                    if status == 200 and "Đã ghi nhận" in text:
                        with lock:
                            post_t.append(secs)
                            total_t.append(time.perf_counter() - t0)
                        if on_ack:
                            on_ack()
                        return {"number": p["number"], "choice": choice, "acked": True, "attempts": attempts}
                    with lock:
                        errors.append(f"POST {status}")
                    if status < 500:
                        break
                except OSError as exc:
                    with lock:
                        errors.append(f"POST {type(exc).__name__}")
                if not retry:
                    break
                time.sleep(0.3)
            return {"number": p["number"], "choice": choice, "acked": False, "attempts": attempts}
        return job

    results, elapsed = run_arrivals([job_for(p) for p in people], window, rng)
    kinds: dict[str, int] = {}
    for e in errors:
        kinds[e] = kinds.get(e, 0) + 1
    return results, {"get_page": stats(get_t), "post_vote": stats(post_t), "delegate_total": stats(total_t),
                     "acked": sum(r["acked"] for r in results), "not_acked": sum(not r["acked"] for r in results),
                     "retried_delegates": sum(r["attempts"] > 2 for r in results), "errors": kinds,
                     "elapsed_s": round(elapsed, 1), "votes_per_s": round(len(results) / elapsed, 1)}


def verify(vote, results) -> dict:
    from django.db.models import Count

    from dangbo.votes.models import VoteCast

    stored = {n: ch for n, ch in VoteCast.objects.filter(vote=vote).values_list("delegate__number", "choice")}
    per_delegate = VoteCast.objects.filter(vote=vote).values("delegate").annotate(n=Count("id"))
    acked = {r["number"]: r["choice"] for r in results if r["acked"]}
    lost = [n for n in acked if n not in stored]
    wrong = [n for n, ch in acked.items() if n in stored and stored[n] != ch]
    unacked_stored = [n for n in stored if n not in acked]
    doubled = [row["delegate"] for row in per_delegate if row["n"] > 1]
    return {"acked": len(acked), "stored": len(stored), "lost": len(lost), "doubled": len(doubled),
            "wrong_choice": len(wrong), "stored_not_acked": len(unacked_stored),
            "ok": not (lost or wrong or doubled)}


def frozen_matches(vote) -> bool:
    """The result frozen at closing counts exactly the votes stored."""
    from dangbo.votes.models import VoteCast

    stored = list(VoteCast.objects.filter(vote=vote).values_list("choice", flat=True))
    return (vote.votes_for, vote.votes_against, vote.votes_abstain) == (
        stored.count("for"), stored.count("against"), stored.count("abstain"))


def child(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dangbo.votes import services

    out: dict = {"database": connection.vendor}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    congress, people, desks = setup_data(args.delegates, args.seed)
    out["setup_s"] = round(time.perf_counter() - t, 1)
    connection.close()
    rng = random.Random(args.seed)
    log = Path(os.environ["DANGBO_VAR"]) / "gunicorn.log"
    server = Server(args, log)
    server.start()
    client = Client(args.port)
    try:
        out["idle_probe"] = idle_probe(client, people[0]["session"])
        out["check_in"] = check_in_phase(client, congress.id, people, desks, args.checkin_window, rng)

        vote = services.vote_create(actor=None, congress=congress, subject="Thông qua Nghị quyết (tải thử)",
                                    kind="resolution", mode="phones")
        vote = services.vote_open(actor=None, vote=vote)
        out["base"] = vote.base
        connection.close()
        results, figures = vote_phase(client, people, args.window, rng, retry=False)
        out["vote"] = figures
        out["vote"]["check"] = verify(vote, results)
        vote = services.vote_close(actor=None, vote=vote)
        out["vote"]["frozen_result_matches"] = frozen_matches(vote)

        # fault run: SIGKILL the server when a third of the delegates are acknowledged
        vote2 = services.vote_create(actor=None, congress=congress, subject="Thông qua chương trình (lỗi máy chủ)",
                                     kind="agenda", mode="phones")
        vote2 = services.vote_open(actor=None, vote=vote2)
        connection.close()
        count, fired, fault = [0], threading.Event(), {}
        lock = threading.Lock()

        def on_ack():
            with lock:
                count[0] += 1
                if count[0] == len(people) // 3:
                    fired.set()

        def killer():
            fired.wait()
            fault["acked_before_kill"] = count[0]
            t0 = time.perf_counter()
            server.kill()
            fault["killed_at_s"] = round(time.perf_counter() - phase_start[0], 2)
            time.sleep(args.down)
            try:
                server.start()
            except RuntimeError as exc:
                fault["restart_error"] = str(exc)
            fault["down_s"] = round(time.perf_counter() - t0, 2)

        phase_start = [time.perf_counter()]
        k = threading.Thread(target=killer)
        k.start()
        results2, figures2 = vote_phase(client, people, args.window, rng, retry=True, on_ack=on_ack)
        fired.set()
        k.join()
        out["fault"] = {**figures2, **fault, "check": verify(vote2, results2)}
        vote2 = services.vote_close(actor=None, vote=vote2)
        out["fault"]["frozen_result_matches"] = frozen_matches(vote2)
    finally:
        server.stop()
    print(json.dumps(out, ensure_ascii=False))


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--delegates", type=int, default=2000)
    p.add_argument("--window", type=float, default=60.0, help="votes: arrivals spread over this many seconds")
    p.add_argument("--checkin-window", type=float, default=120.0, help="check-in: arrivals over this many seconds")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--port", type=int, default=18931)
    p.add_argument("--pg-port", type=int, default=54393)
    p.add_argument("--down", type=float, default=2.0, help="seconds the server stays down in the fault run")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-pg", action="store_true")
    p.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
