"""The web app's forms: they only check what a form field can (types, sizes the model has); the
rules (text length in code points, who may do what) are the domain's, which refuses with a
sentence the page shows."""

from __future__ import annotations

from django import forms
from django.conf import settings


class ComposeForm(forms.Form):
    text = forms.CharField(
        label="Your post",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-max-length": settings.POST_TEXT_MAX_LENGTH}),
    )
    reply_to = forms.CharField(required=False, widget=forms.HiddenInput)
    photo = forms.FileField(label="Photo", required=False)


class ProfileForm(forms.Form):
    name = forms.CharField(label="Name", max_length=50, required=False)
    bio = forms.CharField(
        label="Bio",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "data-max-length": settings.USER_DESCRIPTION_MAX_LENGTH}
        ),
    )
    avatar = forms.FileField(label="New avatar", required=False)


class MessageForm(forms.Form):
    text = forms.CharField(label="Message", strip=False, widget=forms.Textarea(attrs={"rows": 2}))


class NewConversationForm(MessageForm):
    to = forms.CharField(label="To (usernames, separated by spaces)", max_length=500)
