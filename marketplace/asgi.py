import os

from django.core.asgi import get_asgi_application

# A server process is production unless told otherwise; bin/demo and the tests name their own settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.production")

application = get_asgi_application()
