"""gunicorn's settings for Spil in production: `gunicorn -c python:spil.conf.gunicorn spil.conf.wsgi`.

Spil renders its pages in Python, so a request keeps a core busy for most of its time and holds the interpreter's lock
while it does. Worker processes, not threads, let requests use the cores side by side: with two processes of four
threads each, the inbox's p95 in the performance harness was 560 ms, with five single-threaded processes 330 ms, on the
same two cores (docs/performance.md). Sync workers expect a buffering reverse proxy in front (docs/operations.md).
"""

import os

# gunicorn's own variable for the number of workers; the default is its advice for CPU-bound work.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"
# A request longer than this is stuck (the slowest pages take well under a second); its worker is restarted.
timeout = 120
