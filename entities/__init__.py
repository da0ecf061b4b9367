"""Entities: mentions, hashtags, links and html derived from text.

``entities.core`` is pure Python (no Django); ``entities.services`` resolves mentioned names to
users with one query and is what the rest of the project calls.
"""
