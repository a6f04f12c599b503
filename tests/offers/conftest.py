"""Fixtures of the offer tests: a solution provider and a municipality, each with a verified
member, and the search indexer run as the worker would."""

from types import SimpleNamespace

import pytest

from stadtnetz import outbox
from stadtnetz.accounts.models import OrganisationType


@pytest.fixture
def index():
    """Apply the search queue, as the indexer does after a commit."""
    return lambda: outbox.run_pending("search")


@pytest.fixture
def world(make_organisation, make_municipality, make_user, make_membership):
    provider = make_organisation(name="Leerstandslotsen GmbH", type=OrganisationType.ANBIETER)
    seller = make_user(name="Paula Anbieter")
    make_membership(seller, provider)
    town = make_organisation(name="Stadt Altena", municipality=make_municipality(name="Altena"))
    clerk = make_user(name="Karl Kommune")
    make_membership(clerk, town)
    return SimpleNamespace(provider=provider, seller=seller, town=town, clerk=clerk)
