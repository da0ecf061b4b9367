"""Running the server rather than serving the API: health and readiness probes, request logs,
the admins' dashboard and the admin site it lives in, and what deployment needs (static files,
process settings).

It has its own home because none of it belongs to a dialect or to one domain app: it reads
across users, posts and streams and the services under them, and changes none of their rules.
"""
