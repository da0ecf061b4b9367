"""App.net's OAuth 2 endpoints on top of django-oauth-toolkit."""
