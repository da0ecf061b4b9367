"""Reposts: a post whose ``repost_of`` is another post, and the rules that keep one per user."""
