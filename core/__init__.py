"""What every domain app shares and that speaks no HTTP.

Its own app because posts, reposts, streams, users and entities all need the same few words —
a refusal with its reason (``errors``), a checked id or text (``inputs``), an id list as one
SQL parameter (``lookups``) and a query compiled once per shape (``compiled``) — and none of
them may depend on a dialect or on Django REST framework to say them.
"""
