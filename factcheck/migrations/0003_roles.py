"""The newsroom's roles, as groups holding exactly the permissions each needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGED_MODELS = ["outlet", "article", "claim", "appearance", "contradiction"]
RECORD_MODELS = ["claimtransition", "correction"]

EDITOR_PERMISSIONS = [
    f"{action}_{model}" for model in MANAGED_MODELS for action in ("add", "change", "delete", "view")
] + [f"view_{model}" for model in RECORD_MODELS]
REVIEWER_PERMISSIONS = [*EDITOR_PERMISSIONS, "publish_claim", "set_verdict"]

ROLES = {"Editor": EDITOR_PERMISSIONS, "Reviewer": REVIEWER_PERMISSIONS}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    app_config = apps.get_app_config("factcheck")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="factcheck", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for role {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("factcheck", "0002_editorial_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
