"""Production settings: `dangbo check --deploy` is clean under the documented configuration (HTTPS
behind a reverse proxy), the headers and cookies are what it promises, development stays plain HTTP."""

import json
import os
import subprocess
import sys

from django.test import Client

PRODUCTION = {
    "DANGBO_HTTPS": "1",
    "DANGBO_ALLOWED_HOSTS": "dangbo.tinhuy.example.vn",
    "DANGBO_CSRF_TRUSTED_ORIGINS": "https://dangbo.tinhuy.example.vn",
    "DANGBO_TRUSTED_PROXIES": "1",
}


def _run(args, tmp_path, env=None, **kw):
    full = {k: v for k, v in os.environ.items() if not k.startswith("DANGBO_") and k != "DATABASE_URL"}
    full.update({"DANGBO_VAR": str(tmp_path / "var"), **(env or {})})
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=full, cwd=tmp_path, **kw)


def test_check_deploy_is_clean_in_production(tmp_path):
    r = _run(["-m", "dangbo.cli", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, PRODUCTION)
    assert r.returncode == 0, r.stderr
    assert "no issues" in r.stdout and "WARNINGS" not in r.stderr


def test_check_deploy_flags_development_settings(tmp_path):
    r = _run(["-m", "dangbo.cli", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert r.returncode != 0 and "security.W008" in r.stderr


PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)  # an installed site: the login page names the committee
from django.test import Client
c = Client(HTTP_HOST="dangbo.tinhuy.example.vn")
plain = c.get("/dang-nhap/")
secure = c.get("/dang-nhap/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "status": secure.status_code,
    "headers": {k: secure.get(k) for k in ("Strict-Transport-Security", "X-Frame-Options",
        "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy")},
    "csrf_cookie_secure": bool(secure.cookies["csrftoken"]["secure"]),
}))
"""


def test_production_redirects_to_https_and_sends_the_security_headers(tmp_path):
    env = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "dangbo.settings"}
    r = _run(["-c", PROBE], tmp_path, env)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["plain"] == [301, "https://dangbo.tinhuy.example.vn/dang-nhap/"]
    assert got["status"] == 200
    assert got["headers"] == {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    assert got["csrf_cookie_secure"]


def test_each_part_of_the_secure_set_can_be_overridden(tmp_path):
    env = {**PRODUCTION, "DANGBO_HSTS_SECONDS": "3600", "DANGBO_HSTS_PRELOAD": "0", "DANGBO_SSL_REDIRECT": "0"}
    code = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps("
            "[s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
            " s.SESSION_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS]))")
    r = _run(["-c", code], tmp_path, {**env, "DJANGO_SETTINGS_MODULE": "dangbo.settings"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [3600, False, True, False, True, ["HTTP_X_FORWARDED_PROTO", "https"],
                                    ["https://dangbo.tinhuy.example.vn"]]


def test_bad_settings_are_refused_in_vietnamese(tmp_path):
    r = _run(["-m", "dangbo.cli", "check"], tmp_path, {"DANGBO_HSTS_SECONDS": "một năm"})
    assert r.returncode != 0 and "DANGBO_HSTS_SECONDS phải là số nguyên" in r.stderr
    r = _run(["-m", "dangbo.cli", "check"], tmp_path, {"DANGBO_CSRF_TRUSTED_ORIGINS": "dangbo.example.vn"})
    assert r.returncode != 0 and "phải có dạng https://" in r.stderr


def test_development_is_plain_http(db):
    """The test settings are development's (no DANGBO_HTTPS): no redirect, no Secure cookie, no HSTS."""
    r = Client().get("/dang-nhap/")
    assert r.status_code == 200 and "Strict-Transport-Security" not in r
    assert not r.cookies["csrftoken"]["secure"]
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
