"""dangbo serve [--host 127.0.0.1] [--port 8000] [--threads 8]: the production-style server (waitress).

Applies migrations first, so a fresh database is usable at once.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
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
        serve(application, host=o["host"], port=o["port"], threads=o["threads"], ident="dangbo")
