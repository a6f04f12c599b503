"""Fixtures of the API tests: a small catalogue of practices, indexed, plus a hidden draft."""

from types import SimpleNamespace

import pytest

from stadtnetz import outbox


@pytest.fixture
def index():
    """Apply the search queue, as the indexer does after a commit."""
    return lambda: outbox.run_pending("search")


@pytest.fixture
def catalogue(make_practice, make_organisation, make_municipality, make_user, make_membership, index):
    """Three published practices in two Länder and size classes, and another Kommune's draft."""
    dortmund = make_organisation(name="Stadt Dortmund", municipality=make_municipality(
        name="Dortmund", kreis_key="05913", population=590_000))
    altena = make_organisation(name="Stadt Altena", municipality=make_municipality(
        name="Altena", kreis_key="05962", population=16_000))
    passau = make_organisation(name="Stadt Passau", municipality=make_municipality(
        name="Passau", kreis_key="09262", population=53_000))
    writer = make_user(name="Dora Entwurf")
    make_membership(writer, passau)
    catalogue = SimpleNamespace(
        kataster=make_practice(
            dortmund, title="Leerstandskataster für die Innenstadt", topics=["leerstand", "handel"],
            status="verstetigt", total_cost=40_000, tags=["Kataster"],
            funding_programme="Zukunftsfähige Innenstädte und Zentren"),
        popup=make_practice(
            altena, title="Pop-up-Stores in der Fußgängerzone", topics=["kultur"], status="umsetzung",
            total_cost=8_000, teaser="Junge Händler testen leere Läden ein halbes Jahr lang."),
        schatten=make_practice(
            passau, title="Schattenplätze gegen Hitze", topics=["klimaanpassung", "oeffentlicher-raum"],
            status="planung", total_cost=300_000, teaser="Bäume und Sonnensegel für den Domplatz.",
            situation="Im Sommer ist der Domplatz zu heiß.", implementation="Sonnensegel und Bäume."),
        draft=make_practice(passau, author=writer, state="draft", title="Geheimer Leerstandsplan"),
        writer=writer,
    )
    index()
    return catalogue
