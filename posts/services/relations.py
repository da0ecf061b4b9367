"""The viewer's own relations to the posts on a page, and what follows from them.

Loaded for a whole page in the viewer context's one query (``users.services.viewer``): which
posts the viewer starred, reposted, reported or replied to. Every dialect shows some of them
(ADN ``you_starred``, pnut ``you_bookmarked``, diaspora ``reported``), and diaspora's
"subscribed" is a rule over them, stated here once.
"""

from __future__ import annotations

from django.db.models import QuerySet

from users.services.viewer import ViewerContext

from ..models import Post, Report, Star


def post_relations(viewer: int, post_ids: list[int]) -> dict[str, QuerySet]:
    """Each relation as an id query (``viewer`` and ``post_ids`` may be stand-ins)."""
    return {
        "you_starred": Star.objects.filter(user_id=viewer, post_id__any=post_ids).values_list(
            "post_id"
        ),
        "you_reposted": Post.objects.filter(user_id=viewer, repost_of_id__any=post_ids).values_list(
            "repost_of_id"
        ),
        "you_reported": Report.objects.filter(
            reporter_id=viewer, post_id__any=post_ids
        ).values_list("post_id"),
        "you_commented": Post.objects.filter(
            user_id=viewer, reply_to_id__any=post_ids, is_deleted=False
        ).values_list("reply_to_id"),
    }


def participates(context: ViewerContext, post_id: int, author_id: int) -> bool:
    """Whether the viewer takes part in a post (diaspora's "subscribed"): it is theirs, or they
    starred, reposted or replied to it."""
    if context.viewer is None:
        return False
    return author_id == context.viewer.pk or any(
        context.has(kind, post_id) for kind in ("you_starred", "you_reposted", "you_commented")
    )
