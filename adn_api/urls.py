from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from files.views import serve_content

from . import prefixes
from .app_tokens import AppTokensView, RelationIdsView
from .oauth.urls import account_patterns
from .views import ConfigView, TokenView, UnknownRouteView

adn_patterns = [
    path("config", ConfigView.as_view()),
    path("token", TokenView.as_view()),
    path("apps/me/tokens", AppTokensView.as_view()),
    path("apps/me/tokens/user_ids", AppTokensView.as_view(ids_only=True)),
    path("users/muted/ids", RelationIdsView.as_view()),
    path("users/blocked/ids", RelationIdsView.as_view(relation="blocked")),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="openapi-schema"), name="api-docs"),
    path("", include("files.urls")),
    path("", include("interactions.urls")),
    path("", include("search.urls")),
    path("", include("explore.urls")),
    path("", include("places.urls")),
    path("", include("users.urls")),
    path("", include("entities.urls")),
    path("", include("streams.urls")),
    path("", include("posts.urls")),
    path("", include("reposts.urls")),
    path("", include("messaging.urls")),
    re_path(r"^.*$", UnknownRouteView.as_view()),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("operations.urls")),  # /healthz, /readyz
    path("files/content/<str:token>", serve_content, name="file-content"),
    path(prefixes.ADN, include(adn_patterns)),
    path(prefixes.PNUT, include("pnut.urls")),
    path(prefixes.DIASPORA, include("diaspora.urls")),
    path("oauth/", include("adn_api.oauth.urls")),
    path("", include(account_patterns)),
    # Last: the web app's /{username} pages take only what nothing above matched.
    path("", include("web.urls")),
]

# Pages in the site's style for the web app's URLs; the API prefixes keep their JSON errors.
handler404 = "web.views.errors.not_found"
handler500 = "web.views.errors.server_error"
