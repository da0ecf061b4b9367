"""The group of staff who moderate: made by migration 0001_moderators_group (which lists its
permissions), joined with ``manage.py create_user --moderator``."""

GROUP = "moderators"
