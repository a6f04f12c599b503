"""A municipality's profile at /kommunen/<ags>, and the demo municipalities."""

import sqlalchemy as sa

from stadtnetz.directory.models import LAENDER, Kreis, Municipality, SizeClass
from stadtnetz.directory.services import ImportResult, UpsertCounts, load_demo_municipalities

from .test_search import CREDIT, page_text


def test_profile_shows_the_facts(client, db):
    load_demo_municipalities()
    db.session.commit()

    response = client.get("/kommunen/05962032")

    text = page_text(response)
    assert "<h1>Lüdenscheid, Stadt</h1>" in response.get_data(as_text=True)
    for fact in (
        "Land Nordrhein-Westfalen",
        "Kreis Märkischer Kreis",
        "Einwohnerzahl 71.688 Einwohner (Zensus 2022, Stichtag 15.05.2022)",
        "Fläche 87,02 km²",
        "Bevölkerungsdichte 824 Einwohner je km²",
        "Größenklasse Mittelstadt (20.000 bis 99.999 Einwohner)",
        "Postleitzahl 58507",
        "Amtlicher Gemeindeschlüssel 05962032",
        "Lage 51,21582° N, 7,63358° O",
        CREDIT,
    ):
        assert fact in text


def test_kreisfreie_stadt_and_gvisys_population(client, make_municipality):
    make_municipality(
        name="Jena, Stadt", ags="16053000", kreis_key="16053", kreis_name="Jena, Stadt",
        population=108_306, population_source="gvisys2019",
    )

    text = page_text(client.get("/kommunen/16053000"))

    assert "Kreis kreisfreie Stadt" in text
    assert "108.306 Einwohner (Gemeindeverzeichnis GV-ISys, Stichtag 31.12.2019)" in text
    assert "Land Thüringen" in text


def test_unknown_facts_say_so(client, make_municipality):
    make_municipality(name="Sachsenwald", ags="01053105", kreis_key="01053", population=None,
                      population_source=None, postal_code=None)

    text = page_text(client.get("/kommunen/01053105"))

    for fact in ("Einwohnerzahl keine Angabe", "Fläche keine Angabe", "Bevölkerungsdichte keine Angabe",
                 "Größenklasse keine Angabe", "Postleitzahl keine Angabe", "Lage keine Angabe"):
        assert fact in text


def test_profile_links_its_organisation(client, make_municipality, make_organisation):
    municipality = make_municipality(name="Lüdenscheid, Stadt", ags="05962032")
    make_organisation(name="Stadt Lüdenscheid", slug="luedenscheid", municipality_id=municipality.id)

    response = client.get("/kommunen/05962032")

    assert '<a href="/organisationen/luedenscheid">Stadt Lüdenscheid</a>' in response.get_data(as_text=True)
    assert "noch keine Organisation" not in page_text(response)


def test_profile_without_organisation_invites_to_create_one(client, make_municipality):
    make_municipality(name="Altena, Stadt", ags="05962004")

    response = client.get("/kommunen/05962004")

    assert "Für Altena, Stadt gibt es noch keine Organisation auf Stadtnetz." in page_text(response)
    assert '<a href="/organisationen/neu">Organisation anlegen</a>' in response.get_data(as_text=True)


def test_unknown_ags_is_not_found(client, make_municipality):
    make_municipality(ags="05962032")

    for url in ("/kommunen/99999999", "/kommunen/0596203", "/kommunen/L%C3%BCdenscheid"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Seite nicht gefunden" in page_text(response)


def test_demo_municipalities_are_loaded_once_with_real_facts(db):
    first = load_demo_municipalities()
    db.session.commit()
    again = load_demo_municipalities()

    kreise = db.session.scalar(sa.select(sa.func.count()).select_from(Kreis))
    assert first == ImportResult(UpsertCounts(created=kreise), UpsertCounts(created=43))
    assert again == ImportResult(UpsertCounts(unchanged=kreise), UpsertCounts(unchanged=43))

    municipalities = db.session.scalars(sa.select(Municipality)).all()
    names = {m.name.split(",")[0] for m in municipalities}
    for required in ("Lüdenscheid", "Arnsberg", "Siegen", "Jena", "Erfurt", "Leipzig", "Görlitz",
                     "Hann. Münden", "Bamberg", "Lörrach", "Pirmasens", "Wittenberge"):
        assert required in names
    assert {m.land_key for m in municipalities} == set(LAENDER)
    assert {m.size_class for m in municipalities} == set(SizeClass)
    assert all(m.kreis is not None and m.population_source == "zensus2022" for m in municipalities)
    luedenscheid = next(m for m in municipalities if m.ags == "05962032")
    assert (luedenscheid.population, luedenscheid.area_km2, luedenscheid.kreis.name) == (
        71_688, 87.02, "Märkischer Kreis",
    )
