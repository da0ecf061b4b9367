"""``/oauth/…`` (App.net's endpoint names) and the account pages the web flow sends people to.

The account pages have no namespace: ``settings.LOGIN_URL`` names the login page "login".
"""

from django.urls import path

from . import views

urlpatterns = [
    path("authenticate", views.AuthenticateView.as_view(), name="oauth-authenticate"),
    path("authorize", views.AuthorizeView.as_view(), name="oauth-authorize"),
    path("access_token", views.AccessTokenView.as_view(), name="oauth-access-token"),
]

account_patterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("signup/", views.SignupView.as_view(), name="signup"),
]
