"""The project as a newcomer gets it: system checks pass and the migrations match the models."""

import pytest
from django.core.management import call_command


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_have_no_unmigrated_changes():
    # makemigrations --check exits non-zero when a model change lacks its migration.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)
