"""The pnut.io dialect at ``/v1/``.

Its own app because a dialect is a separate face of the same server: pnut's envelope and error
shape (``renderers``), its spelling of posts and users (``serializers``) and its routes
(``views``, ``urls``). It owns no models and no rules; every action calls the same domain
functions as the ADN endpoints, so a pnut repost is an ADN repost.
"""
