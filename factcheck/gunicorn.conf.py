"""The production server: `gunicorn -c factcheck/gunicorn.conf.py` (see README, Production server).

gthread workers: each worker serves up to `threads` connections at once from a thread
pool, and a connection that sends nothing yet waits in the worker's poller, not in a
thread. With sync workers every connection holds a whole worker until it has sent its
request, so two clients that send half a header block stall both workers for `timeout`
seconds. Behind a reverse proxy that buffers each request completely (nginx's default),
slow clients never reach gunicorn at all; the threads keep the site answering when one
does, or when the proxy is absent.

Every value can be set from the environment, as the rest of the configuration is.
"""

import os

wsgi_app = "factcheck.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two processes per core; threads for connections that wait on the network or the
# database. Each worker keeps its own page cache (READER_PAGE_CACHE_ENTRIES pages).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

# A request that takes longer than this is a bug: the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Idle kept-alive connections are closed soon; a proxy in front reuses its own.
keepalive = 5

# Requests larger than these are refused before Django sees them (Django's own body
# limits are in settings.py).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Restart a worker now and then so that memory cannot creep up over weeks.
max_requests = 2000
max_requests_jitter = 200

# X-Forwarded-Proto (the HTTPS setting) is believed only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
