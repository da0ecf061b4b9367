"""Post events other apps react to (the streams app fans posts out), sent after commit."""

from django.dispatch import Signal

# kwargs: post_id
post_created = Signal()
post_deleted = Signal()
