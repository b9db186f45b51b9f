"""WSGI entry point: ``gunicorn worktrace.wsgi`` in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "worktrace.settings")
application = get_wsgi_application()
