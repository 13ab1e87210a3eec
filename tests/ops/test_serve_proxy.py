"""`dangbo serve` behind an HTTPS reverse proxy, end to end: the real server (waitress) with the
production configuration, spoken to the way nginx does (X-Forwarded-Proto, X-Forwarded-For)."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time

import pytest

HOST = "dangbo.tinhuy.example.vn"
PRODUCTION = {
    "DANGBO_HTTPS": "1",
    "DANGBO_ALLOWED_HOSTS": HOST,
    "DANGBO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "DANGBO_TRUSTED_PROXIES": "1",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANGBO_") and k != "DATABASE_URL"}
    env.update({"DANGBO_VAR": str(tmp / "var"), **PRODUCTION})
    proc = subprocess.Popen([sys.executable, "-m", "dangbo.cli", "serve", "--port", str(port)], env=env, cwd=tmp,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 180  # migrates a fresh database first
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stdout.read())
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("dangbo serve did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=30)


class Proxy:
    """What nginx sends on: Host, X-Forwarded-Proto, the client address appended to X-Forwarded-For."""

    def __init__(self, port: int, client: str, written_by_client: str = ""):
        self.port, self.cookies = port, {}
        self.forwarded_for = f"{written_by_client}, {client}" if written_by_client else client

    def request(self, method: str, path: str, body: str = "", proto: str = "https"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": HOST, "X-Forwarded-Proto": proto, "X-Forwarded-For": self.forwarded_for}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}",
                            "Referer": f"https://{HOST}{path}"})
        conn.request(method, path, body=body.encode(), headers=headers)
        r = conn.getresponse()
        text = r.read().decode()
        for cookie in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return r, text

    def login(self, username: str, password: str):
        _, page = self.request("GET", "/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", "/dang-nhap/",
                            f"csrfmiddlewaretoken={token}&username={username}&password={password}")


def test_https_is_recognised_through_the_proxy(server):
    proxy = Proxy(server, "14.160.5.5")
    r, _ = proxy.request("GET", "/dang-nhap/", proto="http")
    assert r.status == 301 and r.getheader("Location") == f"https://{HOST}/dang-nhap/"
    r, page = proxy.request("GET", "/dang-nhap/")
    assert r.status == 200 and "Đăng nhập" in page
    assert r.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "Secure" in (r.getheader("Set-Cookie") or "")


def test_the_throttle_counts_the_client_behind_the_proxy(server):
    for i in range(19):  # one client, a new fake address of its own in the header each time
        r, _ = Proxy(server, "14.160.9.9", written_by_client=f"1.2.3.{i}").login(f"nguoi{i}", "sai-mat-khau")
        assert r.status == 200
    r, page = Proxy(server, "14.160.9.9", written_by_client="1.2.3.99").login("nguoi19", "sai-mat-khau")
    assert r.status == 429  # the 20th failure from the address locks it
    r, page = Proxy(server, "14.160.9.9", written_by_client="9.9.9.9").login("nguoi-khac", "sai-mat-khau")
    assert r.status == 429 and "Tạm khóa đăng nhập" in page
    r, page = Proxy(server, "10.1.2.3").login("nguoi-khac", "sai-mat-khau")  # a colleague: not locked
    assert r.status == 200 and "Tạm khóa" not in page
