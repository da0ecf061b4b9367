"""The diaspora dialect of the API, at ``/api/v1/``.

Its own app because a dialect is only a way of spelling the same data: diaspora's serializers
(guids, ``author``, ``body`` with ``@{user@host}`` mentions), its routes and its error mapping
(bare JSON, ``{"code", "message"}`` errors with the seed's sentences) over the domain functions
that the ADN and pnut dialects call too. A comment is a reply, a reshare a repost, a like a
star, a conversation a PM channel. No rule lives here that another dialect would need.
"""
