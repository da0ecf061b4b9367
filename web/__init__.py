"""The web app: server-rendered pages over the same domain as the three APIs.

A new user opening the server in a browser (``/``, and every ``canonical_url`` the APIs hand out:
``/{username}``, ``/{username}/post/{id}``) gets a page rather than a bare "Not Found": the
landing page, profiles, threads, hashtags and RSS/Atom feeds for anyone, and for someone signed
in (the same accounts as OAuth, by session) their streams, posting, replies, reposts, stars,
follows, mutes, blocks, reports, their profile, interactions, private messages, photos and the
apps they authorised.

It is a fourth translator beside the App.net, pnut and diaspora dialects: it parses forms, calls
the domain's functions (``posts/services``, ``reposts/services.py``, ``users/services``,
``streams/services/page.py``, ``messaging/services``, ``files/services``), and renders templates.
Every read goes through the one visibility rule (``Post.objects.visible_to``); a ``Refused`` is
a page in the site's style with its status. Its pages carry a strict Content-Security-Policy
(``web/middleware.py``): no inline script or style, scripts only from this server.
"""
