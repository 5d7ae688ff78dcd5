"""Names and domains resolve to outlets through names, homepages and aliases."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factcheck.intake.outlets import domain_of, outlet_find
from factcheck.models import OutletAlias
from factcheck.tests.factories import OutletFactory

pytestmark = pytest.mark.django_db


def alias(outlet, text, kind="name"):
    row = OutletAlias(outlet=outlet, alias=text, kind=kind)
    row.full_clean()
    row.save()
    return row


def test_names_resolve_through_aliases_and_the_outlets_own_name():
    ft = OutletFactory(name="Financial Times", slug="financial-times")
    alias(ft, "FT")
    OutletFactory(name="Il Sole 24 Ore", slug="sole")
    assert outlet_find(name="FT") == ft
    assert outlet_find(name="the  ft") == ft
    assert outlet_find(name="financial times") == ft
    assert outlet_find(name="The Financial Times") == ft
    assert outlet_find(name="Frankfurter Allgemeine") is None
    assert outlet_find(name="   ") is None


def test_domains_resolve_through_aliases_homepages_and_parent_domains():
    ft = OutletFactory(name="Financial Times", slug="financial-times")
    alias(ft, "ft.com", kind="domain")
    wsj = OutletFactory(name="The Wall Street Journal", slug="wsj", homepage="https://www.wsj.com/")
    assert outlet_find(domain="https://www.ft.com/content/abc") == ft
    assert outlet_find(domain="markets.ft.com") == ft
    assert outlet_find(domain="WWW.WSJ.COM") == wsj
    assert outlet_find(domain="notft.com") is None
    assert outlet_find(domain="com") is None
    assert domain_of("https://www.FT.com:443/x") == "ft.com"


def test_an_alias_key_belongs_to_one_outlet_only():
    alias(OutletFactory(), "FT")
    duplicate = OutletAlias(outlet=OutletFactory(), alias="the ft")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    duplicate.key = "ft"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
