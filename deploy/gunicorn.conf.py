"""Gunicorn settings for the web container; each can be overridden through the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two workers per core plus one, capped: the containers are small and PostgreSQL connections are finite.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound. Not every 1,000 requests: at a
# few hundred requests a second that restarted a worker every few seconds, each restart dropping its
# keep-alive connections (errors at the client) and its warm caches and database connection.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = 2000
# Import the application once in the master and fork the workers from it: a (re)started worker is
# ready at once instead of spending a second or two of CPU importing Django, Oscar and the apps.
# Nothing opens a database or Redis connection at import time, so the forks share none.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
# The heartbeat file lives in memory: a container's overlay filesystem can stall it and get workers killed.
worker_tmp_dir = "/dev/shm"
# Only the reverse proxy reaches the container, so trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
