#!/bin/sh
# Container entry point. Runs the given command (gunicorn by default, see the Dockerfile).
# With DJANGO_MIGRATE=1 it first applies database migrations; with DJANGO_LOAD_REGIONS=1 it then
# loads the administrative regions (safe to repeat). Only one container should do either: the
# compose file runs them in its one-off `migrate` service.
set -eu

if [ "${DJANGO_MIGRATE:-0}" = "1" ]; then
    echo "entrypoint: applying database migrations"
    python manage.py migrate --noinput
fi
if [ "${DJANGO_LOAD_REGIONS:-0}" = "1" ]; then
    echo "entrypoint: loading administrative regions"
    python manage.py load_regions --verbosity 0
fi

exec "$@"
