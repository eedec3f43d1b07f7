# syntax=docker/dockerfile:1
# One image for the web (gunicorn), Celery worker and Celery beat containers.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY requirements.lock /tmp/requirements.lock
RUN pip install -r /tmp/requirements.lock


FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=marketplace.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    MARKETPLACE_PRIVATE_MEDIA_ROOT=/app/var/private-media

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --shell /usr/sbin/nologin app

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user may write only to static, media and var.
COPY . /app

# collectstatic needs the settings to load, not real services: the values below exist only for this
# step and are not kept in the image's environment (no Stripe secrets either: card payments off).
RUN SECRET_KEY=collectstatic-only-collectstatic-only-collectstatic-only-collectstatic-only \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    MARKETPLACE_CARD_PAYMENTS=false \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media /app/var/private-media \
    && chown -R app:app /app/staticfiles /app/media /app/var \
    && chmod +x /app/deploy/entrypoint.sh

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 \
    CMD ["python", "/app/deploy/healthcheck.py"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["gunicorn", "marketplace.wsgi", "--config", "/app/deploy/gunicorn.conf.py"]
