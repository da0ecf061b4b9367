"""Post events other apps react to.

``post_created`` (kwarg ``post``) is sent *inside* the transaction that creates the post, so a
receiver's writes (the streams app's fan-out outbox row) commit or roll back with it.
``post_deleted`` (kwarg ``post_id``) is sent after the deletion commits.
"""

from django.dispatch import Signal

post_created = Signal()
post_deleted = Signal()
