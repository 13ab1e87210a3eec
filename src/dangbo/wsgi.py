"""WSGI entry point (waitress in `dangbo serve`, gunicorn in load benchmarks)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
application = get_wsgi_application()
