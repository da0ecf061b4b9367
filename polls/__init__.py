"""Polls: a question with 2 to 10 options that people answer until it closes (pnut's polls,
and the rows diaspora's polls can share: one response per person per poll, the options it
chose, exact per-option counts).

Its own app because a poll is a family of its own, not a kind of post: pnut gives polls their
own ids, endpoints, tokens and lifetime, and attaches one to a post (or a message) only through
an annotation (``io.pnut.core.poll-notice`` with ``+io.pnut.core.poll``, ``services.attach``).
"""
