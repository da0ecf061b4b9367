"""Lists of users: one side of a relation (followers, following, muted, blocked) and search.

Every list leaves out users the viewer may not be shown (``users.models.visible_users``),
except the viewer's own muted and blocked lists, which exist to name exactly those users, and
which no one else may read.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.errors import Reason, Refused, invalid
from core.inputs import storable_text

from ..models import Block, Follow, Mute, User, visible_users

# relation -> (rows, the field naming the user in the URL, the field naming the users listed)
RELATIONS = {
    "followers": (Follow, "followee", "follower"),
    "following": (Follow, "follower", "followee"),
    "muted": (Mute, "muter", "muted"),
    "blocked": (Block, "blocker", "blocked"),
}
OWN_ONLY = {"muted", "blocked"}
MAX_QUERY = 256  # a user search longer than this is no name anyone types


def relation_rows(viewer: User | None, subject: User, relation: str) -> tuple[QuerySet, str]:
    """The relation rows of ``subject``'s list and the name of their field holding the users."""
    model, subject_field, listed = RELATIONS[relation]
    if relation in OWN_ONLY:
        if viewer is None or subject.pk != viewer.pk:
            raise Refused(Reason.NOT_ALLOWED, "Only the user themself can list these users.")
        shown = visible_users(None, f"{listed}__")
    else:
        shown = visible_users(viewer, f"{listed}__")
    return model.objects.filter(shown, **{subject_field: subject}), listed


def relation_ids(subjects: list[int], relation: str) -> dict[str, list[str]]:
    """For each subject, the ids (strings, newest first) of the users they mute or block
    (``relation``); one query for every subject."""
    model, subject_field, listed = RELATIONS[relation]
    found: dict[str, list[str]] = {str(pk): [] for pk in subjects}
    rows = model.objects.filter(visible_users(None, f"{listed}__"))
    rows = rows.filter(**{f"{subject_field}_id__in": subjects}).order_by("-id")
    for subject, other in rows.values_list(f"{subject_field}_id", f"{listed}_id"):
        found[str(subject)].append(str(other))
    return found


def search_users(viewer: User | None, query: str) -> QuerySet:
    """Users matching ``query`` as App.net's user search: ``@name`` a username prefix,
    ``#tag`` the hashtag in the description, anything else a username prefix or part of the
    name or the description."""
    query = query.strip()
    if not query.lstrip("@#"):
        raise invalid("q is required: the text to search usernames and names for.")
    if len(query) > MAX_QUERY:
        raise invalid(f"q is at most {MAX_QUERY} characters.")
    if not storable_text(query):  # PostgreSQL cannot compare with a NUL: a 500 otherwise
        raise invalid("q must not contain NUL characters or lone surrogates.")
    if query.startswith("@"):
        condition = Q(username__istartswith=query[1:])
    elif query.startswith("#"):
        condition = Q(description_text__icontains=query)
    else:
        condition = (
            Q(username__istartswith=query)
            | Q(name__icontains=query)
            | Q(description_text__icontains=query)
        )
    return User.objects.filter(visible_users(viewer), condition)
