import os

from celery import Celery

# Importing the marketplace package runs this first, so it sets the default for wsgi.py and asgi.py too:
# production unless told otherwise. manage.py names the demo settings before that import.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
