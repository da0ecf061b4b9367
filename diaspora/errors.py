"""How diaspora answers a domain refusal: its status and the seed's sentence, word for word, by
what was being done (the seed wins over diaspora's code, CONTRACT §8).

A view names its action per method (``actions = {"POST": "reshare"}``); a refusal is looked up
first for that action, then for every action, then by its reason alone with the domain's own
sentence (e.g. a malformed id: 400). Where diaspora refuses what the domain takes as done (a
second like or reshare, removing a like that is not there) its views raise the refusal, so that
every diaspora sentence is worded here.
"""

from __future__ import annotations

from adn_api.errors import ApiError
from adn_api.refusals import STATUS
from core.errors import Reason, Refused

POST_NOT_FOUND = "Post with provided guid could not be found"
COMMENT_NOT_FOUND = "Comment not found for the given post"
RESHARE_NOT_ALLOWED = "User is not allowed to reshare"
RESHARE_EXISTS = "Reshare already exists"
COMMENT_NOT_ALLOWED = "User is not allowed to comment"
COMMENT_NOT_ACCEPTED = "Couldn't accept or process the comment"
DELETE_NOT_ALLOWED = "User not allowed to delete the comment"
ALREADY_REPORTED = "This item already has been reported by this user"
LIKE_NOT_ALLOWED = "User is not allowed to like"
LIKE_EXISTS = "Like already exists"
LIKE_MISSING = "Like doesn’t exist"  # diaspora's own sentence, typographic apostrophe and all
CONVERSATION_NOT_FOUND = "Conversation with provided guid could not be found"
CONVERSATION_NOT_ACCEPTED = "Couldn't accept or process the conversation"
CONVERSATION_NOT_UPDATED = "Couldn't update the conversation"
# diaspora's messages say it with a typographic apostrophe, its conversations without.
MESSAGE_NOT_ACCEPTED = "Couldn’t accept or process the conversation"
NOTIFICATION_NOT_FOUND = "Notification with provided guid could not be found"
NOTIFICATIONS_NOT_PROCESSED = "Could not process the notifications request"
PHOTO_NOT_FOUND = "Photo with provided guid could not be found"
PHOTO_NOT_CREATED = "Failed to create the photo"
PHOTO_NOT_DELETED = "Not allowed to delete the photo"
POST_NOT_CREATED = "Failed to create the post"
# diaspora's API documentation (post interactions, "Vote on poll") gives these reasons.
VOTE_EXISTS = "There already was a vote recorded for this poll"
VOTE_NOT_ACCEPTED = "The request was invalid, such as a wrong id given"
SEARCH_NOT_PROCESSED = "Search request could not be processed"

# (action or None for every action, reason, subject) -> (status, sentence); a sentence of None
# is the domain's own (diaspora answers a record it finds invalid with its validation message).
REFUSALS: dict[tuple, tuple[int, str | None]] = {
    (None, Reason.NOT_FOUND, "post"): (404, POST_NOT_FOUND),
    (None, Reason.DELETED, "post"): (404, POST_NOT_FOUND),
    ("reshare", Reason.OWN_POST, "post"): (422, RESHARE_NOT_ALLOWED),
    ("reshare", Reason.BLOCKED, "post"): (422, RESHARE_NOT_ALLOWED),
    ("reshare", Reason.ALREADY_DONE, "post"): (409, RESHARE_EXISTS),
    ("comment", Reason.BLOCKED, "post"): (422, COMMENT_NOT_ALLOWED),
    ("comment", Reason.INVALID, "post"): (422, COMMENT_NOT_ACCEPTED),
    ("delete comment", Reason.NOT_FOUND, "comment"): (410, COMMENT_NOT_FOUND),
    ("delete comment", Reason.DELETED, "post"): (410, COMMENT_NOT_FOUND),  # deleted meanwhile
    ("delete comment", Reason.NOT_ALLOWED, "post"): (403, DELETE_NOT_ALLOWED),
    ("report comment", Reason.NOT_FOUND, "comment"): (404, COMMENT_NOT_FOUND),
    ("report comment", Reason.ALREADY_DONE, "post"): (409, ALREADY_REPORTED),
    ("like", Reason.BLOCKED, "post"): (422, LIKE_NOT_ALLOWED),
    ("like", Reason.ALREADY_DONE, "post"): (409, LIKE_EXISTS),
    ("like", Reason.NOT_FOUND, "like"): (410, LIKE_MISSING),
    (None, Reason.NOT_FOUND, "conversation"): (404, CONVERSATION_NOT_FOUND),
    # diaspora answers every failure to start a conversation alike, and a failure to mark one
    # read, unknown conversation included.
    ("start conversation", Reason.INVALID, "post"): (422, CONVERSATION_NOT_ACCEPTED),
    ("start conversation", Reason.BLOCKED, "post"): (422, CONVERSATION_NOT_ACCEPTED),
    ("update conversation", Reason.INVALID, "post"): (422, CONVERSATION_NOT_UPDATED),
    ("update conversation", Reason.NOT_FOUND, "conversation"): (422, CONVERSATION_NOT_UPDATED),
    ("message", Reason.INVALID, "post"): (422, None),
    ("message", Reason.BLOCKED, "post"): (422, MESSAGE_NOT_ACCEPTED),
    ("message", Reason.NOT_ALLOWED, "post"): (422, MESSAGE_NOT_ACCEPTED),
    (None, Reason.NOT_FOUND, "file"): (404, PHOTO_NOT_FOUND),
    (None, Reason.NOT_FOUND, "notification"): (404, NOTIFICATION_NOT_FOUND),
    ("notifications", Reason.INVALID, "post"): (422, NOTIFICATIONS_NOT_PROCESSED),
    ("create photo", Reason.INVALID, "post"): (422, PHOTO_NOT_CREATED),
    ("delete photo", Reason.NOT_ALLOWED, "file"): (403, PHOTO_NOT_DELETED),
    ("create post", Reason.INVALID, "post"): (422, POST_NOT_CREATED),
    ("vote", Reason.ALREADY_DONE, "poll"): (410, VOTE_EXISTS),
    ("vote", Reason.INVALID, "post"): (422, VOTE_NOT_ACCEPTED),
    ("vote", Reason.NOT_FOUND, "poll"): (422, VOTE_NOT_ACCEPTED),
    ("vote", Reason.NOT_ALLOWED, "post"): (422, VOTE_NOT_ACCEPTED),
    ("search", Reason.INVALID, "post"): (422, SEARCH_NOT_PROCESSED),
}


def diaspora_refusal(refused: Refused, action: str | None = None) -> ApiError:
    for key in (
        (action, refused.reason, refused.subject),
        (None, refused.reason, refused.subject),
    ):
        if key in REFUSALS:
            status, sentence = REFUSALS[key]
            return ApiError(status, sentence or refused.message)
    return ApiError(STATUS[refused.reason], refused.message)
