from .post import Post, can_see
from .post_hashtag import PostHashtag
from .post_mention import PostMention
from .report import Report
from .star import Star

__all__ = ["Post", "PostHashtag", "PostMention", "Report", "Star", "can_see"]
