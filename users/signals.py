"""Graph changes other apps react to (the streams app merges or removes posts on follow)."""

from django.dispatch import Signal

# Sent after the transaction that changed the graph commits; kwargs: follower_id, followee_id.
followed = Signal()
unfollowed = Signal()
