"""Places (App.net's ``places/{factual_id}`` and ``places/search``) and the ``+net.app.core.place``
annotation replacement value that checkins use.

Its own app because places are reference data of their own, not anyone's content: a table the
server's admin fills from a GeoNames dump (``manage.py import_places``; App.net licensed
Factual's, which no longer exists), searched nearest first, and read by every annotated object
that names a place. pnut and diaspora document no places or checkins, so only App.net routes
them; a post written through pnut with App.net's checkin annotation is replaced all the same.
"""
