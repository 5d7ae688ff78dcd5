"""The people who use the app, for permission tests: readers, staff, Editors, Reviewers."""

from django.contrib.auth.models import Group, User
from django.test import Client

ROLES = ["anonymous", "staff_without_group", "editor", "reviewer", "superuser"]


def make_user(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser(role, f"{role}@example.org", "pw")
    user = User.objects.create_user(role, f"{role}@example.org", "pw", is_staff=True)
    if role in ("editor", "reviewer"):
        user.groups.add(Group.objects.get(name=role.capitalize()))
    return user


def client_for(role: str) -> Client:
    client = Client()
    user = make_user(role)
    if user is not None:
        client.force_login(user)
    return client


# Who may do something, for the permission matrices.
NOBODY = dict.fromkeys(ROLES, False)
EVERYONE = dict.fromkeys(ROLES, True)
EDITORS = {**NOBODY, "editor": True, "reviewer": True, "superuser": True}
REVIEWERS = {**NOBODY, "reviewer": True, "superuser": True}
