import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

USERNAME_PATTERN = r"^[A-Za-z0-9_]{1,20}$"
username_validator = RegexValidator(
    USERNAME_PATTERN, "A username is 1 to 20 letters, digits or underscores."
)


def new_guid() -> str:
    return uuid.uuid4().hex


class ADNUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Usernames are unique case-insensitively, so logins are too.
        return self.get(username__iexact=username)

    def lock(self, *user_ids: int) -> None:
        """Lock these users' rows until the transaction ends, in id order, so that two
        transactions locking the same users queue instead of deadlocking. Every change to the
        graph between two users, and every stream change that follows from one, holds this
        lock: whatever their timing, they then run as if one after the other. The lock is
        ``FOR NO KEY UPDATE``: it queues lockers and counter updates, but not the key-share
        locks that inserting a row pointing at a user takes (a star's interaction names the
        author being locked by a follow: waiting there would deadlock)."""
        list(
            self.select_for_update(no_key=True)
            .filter(pk__in=user_ids)
            .order_by("pk")
            .values_list("pk")
        )


class User(AbstractUser):
    """An account, with App.net's profile fields and denormalised counters.

    The counters are changed only inside the transaction that inserts or deletes the row they
    count (see users.services.graph and the posts app), so they always equal the rows.
    """

    # The account's own fields, which no API object shows: a page of rendered objects that
    # joins its users leaves them out of the query.
    ACCOUNT_FIELDS = (
        "password",
        "last_login",
        "is_superuser",
        "first_name",
        "last_name",
        "email",
        "is_staff",
    )

    class Type(models.TextChoices):
        HUMAN = "human"
        FEED = "feed"
        BOT = "bot"

    username = models.CharField(max_length=20, unique=True, validators=[username_validator])
    name = models.CharField(max_length=50, blank=True)
    description_text = models.CharField(max_length=256, blank=True)
    description_html = models.TextField(blank=True)
    description_entities = models.JSONField(default=dict, blank=True)
    locale = models.CharField(max_length=16, default="en_US")
    timezone = models.CharField(max_length=64, default="UTC")
    type = models.CharField(max_length=8, choices=Type.choices, default=Type.HUMAN)
    avatar_url = models.URLField(blank=True, max_length=500)
    cover_url = models.URLField(blank=True, max_length=500)
    # The uploaded image's real size (files/services/profile.py); none for the default image.
    avatar_width = models.PositiveIntegerField(null=True, blank=True)
    avatar_height = models.PositiveIntegerField(null=True, blank=True)
    cover_width = models.PositiveIntegerField(null=True, blank=True)
    cover_height = models.PositiveIntegerField(null=True, blank=True)
    guid = models.CharField(max_length=32, unique=True, default=new_guid, editable=False)
    # App.net's user annotations: one per type, changed through the profile update.
    annotations = models.JSONField(default=list, blank=True)

    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    posts_count = models.PositiveIntegerField(default=0)
    stars_count = models.PositiveIntegerField(default=0)
    # Raised by the database on every UPDATE of the row (core/row_versions.py): part of the key
    # of every cached rendering of their posts (adn_api/rendered.py).
    # default as well as db_default: the ORM's bulk inserts stay one UNNEST (a DEFAULT column
    # makes them a VALUES list, whose parameters run out at some 2,000 users).
    version = models.BigIntegerField(default=0, db_default=0, editable=False)

    objects = ADNUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.username}"
