from django.urls import path

from .views import PostSearchView

# Included before posts.urls: posts/search is not a post called "search".
urlpatterns = [path("posts/search", PostSearchView.as_view())]
