"""The web app's routes, mounted last in ``adn_api/urls.py``: ``/{username}`` and what is under
it match only what no earlier route did (``web/routes.py`` keeps usernames off other routes)."""

from django.urls import path, re_path

from .views import account, actions, feeds, public

app_name = "web"

USERNAME = r"(?P<username>[A-Za-z0-9_]{1,20})"
POST_ID = r"(?P<post_id>[0-9]{1,19})"
TAG = r"(?P<tag>[^/]{1,256})"
USER_IDENT = r"(?P<ident>@?[A-Za-z0-9_]{1,20})"

urlpatterns = [
    path("", public.landing, name="landing"),
    path("global", public.global_stream, name="global"),
    re_path(rf"^hashtags/{TAG}$", public.hashtag, name="hashtag"),
    # Feeds at App.net's paths (RSS) and the same under /feed/atom/.
    re_path(rf"^feed/rss/users/{USER_IDENT}/posts$", feeds.UserRss(), name="user-rss"),
    re_path(rf"^feed/atom/users/{USER_IDENT}/posts$", feeds.UserAtom(), name="user-atom"),
    re_path(rf"^feed/rss/posts/tag/{TAG}$", feeds.TagRss(), name="tag-rss"),
    re_path(rf"^feed/atom/posts/tag/{TAG}$", feeds.TagAtom(), name="tag-atom"),
    # Signed in.
    path("home", account.home, name="home"),
    path("unified", account.unified, name="unified"),
    path("compose", account.compose, name="compose"),
    path("interactions", account.interactions, name="interactions"),
    path("messages", account.inbox, name="inbox"),
    path("messages/<int:channel_id>", account.conversation, name="conversation"),
    path("settings/profile", account.edit_profile, name="edit-profile"),
    path("settings/apps", account.apps, name="apps"),
    path("settings/apps/<int:app_id>/revoke", account.revoke_app, name="revoke-app"),
    # Profiles and posts: last.
    re_path(rf"^{USERNAME}$", public.profile, name="profile"),
    re_path(
        rf"^{USERNAME}/(?P<action>follow|unfollow|mute|unmute|block|unblock)$",
        actions.user_action,
        name="user-action",
    ),
    re_path(rf"^{USERNAME}/post/{POST_ID}$", public.post, name="post"),
    re_path(
        rf"^{USERNAME}/post/{POST_ID}/(?P<action>star|unstar|repost|unrepost|report|delete)$",
        actions.post_action,
        name="post-action",
    ),
]
