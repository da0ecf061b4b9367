"""Users and the follow graph (follows, mutes, blocks).

Its own app because every dialect and every other app (posts, streams, reposts) leans on the same
user rows and relationships: the custom user model and the graph rules live in one place.
"""
