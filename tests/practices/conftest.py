"""Fixtures of the practice tests: two Kommunen with a verified writer each, and helpers."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from stadtnetz.accounts.models import MembershipStatus, SiteRole


@pytest.fixture
def attachment_dir(app):
    """The test's own attachment folder (the ``app`` fixture sets it)."""
    return Path(app.config["ATTACHMENT_DIR"])


@pytest.fixture
def world(make_user, make_organisation, make_membership, make_municipality):
    """Lüdenscheid (with a writer, a pending member) and Iserlohn (with an outsider who may adopt)."""
    home = make_organisation(name="Stadt Lüdenscheid", slug="stadt-luedenscheid",
                             municipality=make_municipality(name="Lüdenscheid", population=70_000,
                                                            latitude=51.22, longitude=7.63))
    other = make_organisation(name="Stadt Iserlohn", slug="stadt-iserlohn",
                              municipality=make_municipality(name="Iserlohn", population=90_000,
                                                             latitude=51.37, longitude=7.70))
    users = {"unverified": make_user(name="Una Verifiziert"), "pending": make_user(name="Pia Wartend"),
             "member": make_user(name="Mia Schreiber"), "outsider": make_user(name="Otto Nachbar"),
             "moderator": make_user(name="Moritz Moderation", site_role=SiteRole.MODERATOR)}
    make_membership(users["pending"], home, status=MembershipStatus.PENDING)
    make_membership(users["member"], home)
    make_membership(users["outsider"], other)
    return SimpleNamespace(home=home, other=other, users=users, **users)


@pytest.fixture
def practice_data():
    """A complete form submission for a practice, as a browser sends it."""
    return {
        "title": "Leerstandsmanagement in der Altstadt",
        "teaser": "Ein Kataster und Pop-up-Stores gegen leere Schaufenster.",
        "situation": "In der Altstadt standen **23 Ladenlokale** leer.",
        "implementation": "Die Stadt baute ein Leerstandskataster auf.",
        "results": "Elf Ladenlokale sind wieder vermietet.",
        "lessons": "Die Eigentümer zu erreichen dauerte länger als gedacht.",
        "transferability": "Gut übertragbar auf Mittelstädte.",
        "topics": ["leerstand", "handel"],
        "tags": "Pop-up-Store, Kataster",
        "status": "umsetzung",
        "started_on": "2023-03-01",
        "ended_on": "",
        "total_cost": "120000",
        "funding_programme": "Zukunftsfähige Innenstädte und Zentren",
        "funding_amount": "90000",
        "own_share": "30000",
        "key_figures-0-name": "Leerstehende Ladenlokale",
        "key_figures-0-before": "23",
        "key_figures-0-after": "11",
        "key_figures-0-unit": "Stück",
        "key_figures-0-measured_on": "2024-06-30",
        "partners-0-name": "Werbegemeinschaft Altstadt",
        "partners-0-role": "Ansprache der Händler",
        "contact_name": "Mia Schreiber",
        "contact_role": "Citymanagement",
        "contact_email": "mia@luedenscheid.example",
        "contact_phone": "02351 17-0",
        "licence": "CC-BY-4.0",
    }


@pytest.fixture
def login(client, login):
    """The suite's ``login``, after logging out whoever is logged in, so tests can switch users."""

    def switch(user):
        client.post("/abmelden")
        return login(user)

    return switch
