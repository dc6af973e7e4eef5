"""WSGI entry point used by `cadre serve` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
application = get_wsgi_application()
