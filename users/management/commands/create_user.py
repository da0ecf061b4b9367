"""``manage.py create_user USERNAME --email E [--password P] [--staff | --moderator]``.

``--staff`` may sign in to /admin/ but holds no permission there; ``--moderator`` is staff in the
``moderators`` group (operations/migrations/0001_moderators_group.py): the reports queue, users
(to suspend them) and posts.

The password comes from ``--password``, else the ``ADN_PASSWORD`` environment variable (keeps it
out of shell history and process lists), else a prompt when a terminal is attached.
"""

from __future__ import annotations

import getpass
import os
import sys

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from operations.moderators import GROUP as MODERATORS
from users.models import User
from users.models.user import username_validator


class Command(BaseCommand):
    help = "Create a user account (App.net username rules, Django password validators)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help="Default: $ADN_PASSWORD, else a prompt.")
        parser.add_argument("--name", default="", help="Display name.")
        role = parser.add_mutually_exclusive_group()
        role.add_argument(
            "--staff", action="store_true", help="May sign in to /admin/ (no permissions)."
        )
        role.add_argument(
            "--moderator",
            action="store_true",
            help=f"Staff in the {MODERATORS!r} group: reports, users and posts in /admin/.",
        )

    def handle(self, *args, username: str, email: str, **options) -> None:
        self.check_new(
            "username",
            username,
            username_validator,
            invalid=f"Invalid username {username!r}",
            taken=f"The username {username} is already taken (ignoring case).",
        )
        self.check_new(
            "email",
            email,
            validate_email,
            invalid="--email",
            taken=f"An account with the email {email} already exists.",
        )
        password = self.password(options["password"])
        user = User(username=username, email=email, name=options["name"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Password rejected: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        user.is_staff = options["staff"] or options["moderator"]
        group = None
        if options["moderator"]:
            group = Group.objects.filter(name=MODERATORS).first()
            if group is None:
                raise CommandError(f"No {MODERATORS!r} group: run manage.py migrate first.")
        try:
            with transaction.atomic():
                user.save()
                if group is not None:
                    user.groups.add(group)
        except IntegrityError as exc:
            raise CommandError(f"The username {username} is already taken.") from exc
        self.stdout.write(f"Created @{user.username} (id {user.pk}).")
        if group is not None:
            self.stdout.write(f"@{user.username} is staff in the {MODERATORS} group.")

    @staticmethod
    def check_new(field: str, value: str, validator, *, invalid: str, taken: str) -> None:
        """``value`` passes ``validator`` (else "<invalid>: <why>") and no account has it in
        ``field``, ignoring case (else ``taken``)."""
        try:
            validator(value)
        except ValidationError as exc:
            raise CommandError(f"{invalid}: {exc.messages[0]}") from exc
        if User.objects.filter(**{f"{field}__iexact": value}).exists():
            raise CommandError(taken)

    @staticmethod
    def password(given: str | None) -> str:
        password = given or os.environ.get("ADN_PASSWORD")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                "No password: pass --password, set ADN_PASSWORD or run in a terminal."
            )
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
