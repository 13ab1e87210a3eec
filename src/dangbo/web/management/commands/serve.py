"""dangbo serve [--host 127.0.0.1] [--port 8000] [--threads 8]: the production-style server (waitress).

Applies migrations first, so a fresh database is usable at once. Behind a reverse proxy
(DANGBO_TRUSTED_PROXIES or DANGBO_PROXY_SSL_HEADER set) waitress passes the proxy's X-Forwarded-*
headers on to Django, which reads them (settings.py); waitress's default drops them, and then the
HTTPS redirect would never end and every visitor would have the proxy's address.
"""

from django.conf import settings
from django.core.management import call_command

from dangbo.core.command import DangboCommand


class Command(DangboCommand):
    help = "Chạy máy chủ web (waitress) tại địa chỉ cho trước."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, **o):
        from waitress import serve

        from dangbo.wsgi import application

        if not o["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"dangbo đang chạy tại http://{o['host']}:{o['port']}/  (Ctrl+C để dừng)")
        behind_proxy = bool(settings.TRUSTED_PROXIES > 0 or settings.SECURE_PROXY_SSL_HEADER)
        serve(application, host=o["host"], port=o["port"], threads=o["threads"], ident="dangbo",
              clear_untrusted_proxy_headers=not behind_proxy)
