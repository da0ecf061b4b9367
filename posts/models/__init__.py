from .post import Post, can_see
from .post_hashtag import PostHashtag
from .post_mention import PostMention
from .report import Report
from .revision import PostRevision
from .star import Star

__all__ = ["Post", "PostHashtag", "PostMention", "PostRevision", "Report", "Star", "can_see"]
