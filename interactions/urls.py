from django.urls import path

from .views import InteractionsView

urlpatterns = [path("users/me/interactions", InteractionsView.as_view())]
