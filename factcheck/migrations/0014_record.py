import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from urllib.parse import urlsplit

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# The newsroom's roles manage claimants like the other editorial records (see 0003_roles).
CLAIMANT_PERMISSIONS = [f"{action}_claimant" for action in ("add", "change", "delete", "view")]
ROLE_PERMISSIONS = {"Editor": CLAIMANT_PERMISSIONS, "Reviewer": CLAIMANT_PERMISSIONS}


def grant_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    app_config = apps.get_app_config("factcheck")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="factcheck", codename__in=codenames)
        )


# The organisation's pages (factcheck/transparency.py ABOUT_PAGES), with placeholder text
# the organisation replaces in the admin. Frozen here: a migration is history.
ABOUT_PAGES = {
    "/about/corrections-policy/": (
        "Corrections policy",
        "We correct mistakes openly. When a published fact-check's statement or verdict "
        "changes, the claim's page shows a dated correction saying what changed and why, "
        "and the change is listed in the corrections log. A fact-check that cannot stand is "
        "retracted: its page stays, with the reason.\n\n"
        "To ask for a correction, write to the address on the contact page.\n\n"
        "(Placeholder text: replace it in the admin under Flat pages.)",
    ),
    "/about/funding/": (
        "Funding",
        "Who funds this work, and how much, is listed here.\n\n"
        "(Placeholder text: replace it in the admin under Flat pages.)",
    ),
    "/about/organisation/": (
        "Organisation",
        "Who we are, who leads the organisation and who decides what is published.\n\n"
        "(Placeholder text: replace it in the admin under Flat pages.)",
    ),
    "/about/contact/": (
        "Contact",
        "How to reach the editors, send a tip or ask for a correction.\n\n"
        "(Placeholder text: replace it in the admin under Flat pages.)",
    ),
}
# Reviewers keep the organisation's pages; everyone sees them rendered as plain text.
FLATPAGE_PERMISSIONS = ["change_flatpage", "view_flatpage"]


def create_about_pages(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    address = urlsplit(settings.SITE_URL).netloc or "localhost"
    site, _ = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": address, "name": settings.SITE_NAME}
    )
    for url, (title, content) in ABOUT_PAGES.items():
        page, created = FlatPage.objects.get_or_create(
            url=url, defaults={"title": title, "content": content}
        )
        page.sites.add(site)

    flatpages = apps.get_app_config("flatpages")
    flatpages.models_module = True
    create_permissions(flatpages, apps=apps, verbosity=0)
    flatpages.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reviewer = Group.objects.filter(name="Reviewer").first()
    if reviewer is not None:
        reviewer.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="flatpages", codename__in=FLATPAGE_PERMISSIONS
            )
        )


def remove_about_pages(apps, schema_editor):
    apps.get_model("flatpages", "FlatPage").objects.filter(url__in=ABOUT_PAGES).delete()


def revoke_roles(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="factcheck", codename__in=CLAIMANT_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("factcheck", "0013_provenance"),
        ("sites", "0002_alter_domain_unique"),
        ("flatpages", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Claimant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="Bumped on every save; guards concurrent edits.",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="As the person or body is usually named.", max_length=200
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="A stable identifier for data users.", max_length=200, unique=True
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("person", "Person"), ("organization", "Organisation")],
                        default="person",
                        max_length=20,
                    ),
                ),
                (
                    "description",
                    models.CharField(
                        blank=True,
                        help_text="Public: who this is, enough to tell namesakes apart (role, country).",
                        max_length=300,
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        help_text="Public: an authoritative page about the claimant; blank if none.",
                        max_length=1000,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                    ),
                ),
            ],
            options={
                "ordering": ["name", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["person", "organization"])),
                        name="claimant_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("name", ""), _negated=True),
                        name="claimant_name_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("url", ""),
                            ("url__startswith", "http://"),
                            ("url__startswith", "https://"),
                            _connector="OR",
                        ),
                        name="claimant_url_is_web_address",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="claimant",
            field=models.ForeignKey(
                blank=True,
                help_text="Public: who made the claim, when one person or organisation did.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="factcheck.claimant",
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="claimant",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Public: who made the claim, when one person or organisation did.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="factcheck.claimant",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalClaimant",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "name",
                    models.CharField(
                        help_text="As the person or body is usually named.", max_length=200
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="A stable identifier for data users.", max_length=200
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("person", "Person"), ("organization", "Organisation")],
                        default="person",
                        max_length=20,
                    ),
                ),
                (
                    "description",
                    models.CharField(
                        blank=True,
                        help_text="Public: who this is, enough to tell namesakes apart (role, country).",
                        max_length=300,
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        help_text="Public: an authoritative page about the claimant; blank if none.",
                        max_length=1000,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical claimant",
                "verbose_name_plural": "historical claimants",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(grant_roles, revoke_roles),
        migrations.RunPython(create_about_pages, remove_about_pages),
    ]
