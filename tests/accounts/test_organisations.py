"""Organisation pages: the list with filter and search, the profile, creating and editing."""

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import (
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationType,
    SiteRole,
)
from stadtnetz.accounts.organisations import slugify
from stadtnetz.directory.models import Kreis
from tests.accounts.account_helpers import mails_to

DATA_CREDIT = "Datenlizenz Deutschland"


def organisation_named(db, name: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.name == name))


def test_list_shows_organisations_with_type_and_place(client, make_organisation, make_municipality):
    luedenscheid = make_municipality(name="Lüdenscheid")
    make_organisation(name="Stadt Lüdenscheid", municipality=luedenscheid)
    make_organisation(name="Leerstandslotse GmbH", type=OrganisationType.ANBIETER)

    page = client.get("/organisationen").get_data(as_text=True)

    assert "<h1>Organisationen</h1>" in page
    assert "2 Organisationen" in page
    assert "Stadt Lüdenscheid" in page and "Lüdenscheid, Nordrhein-Westfalen" in page
    assert "Leerstandslotse GmbH" in page and "Lösungsanbieter" in page


def test_list_filters_by_type_and_searches_names(client, make_organisation, make_municipality):
    make_organisation(name="Stadt Lüdenscheid", municipality=make_municipality(name="Lüdenscheid"))
    make_organisation(name="Leerstandslotse GmbH", type=OrganisationType.ANBIETER)
    make_organisation(name="Kammer Südwestfalen", type=OrganisationType.WIRTSCHAFT)

    by_type = client.get("/organisationen?typ=anbieter").get_data(as_text=True)
    assert "Leerstandslotse GmbH" in by_type and "Stadt Lüdenscheid" not in by_type
    assert '<option selected value="anbieter">' in by_type

    by_name = client.get("/organisationen?q=LEERSTAND").get_data(as_text=True)
    assert "Leerstandslotse GmbH" in by_name and "Kammer" not in by_name
    assert 'value="LEERSTAND"' in by_name

    # A Kommune is also found by its Gemeinde's name written without umlauts.
    folded = client.get("/organisationen?q=luedenscheid").get_data(as_text=True)
    assert "Stadt Lüdenscheid" in folded and "Leerstandslotse" not in folded

    nothing = client.get("/organisationen?q=Atlantis").get_data(as_text=True)
    assert "Keine Organisation passt zu Ihrer Suche." in nothing


def test_list_is_paginated_and_keeps_the_filter(client, make_organisation):
    for n in range(23):
        make_organisation(name=f"Verband {n:02d}", type=OrganisationType.WIRTSCHAFT)

    first = client.get("/organisationen?typ=wirtschaft").get_data(as_text=True)
    assert "Verband 00" in first and "Verband 19" in first and "Verband 20" not in first
    assert "Seite 1 von 2" in first
    assert 'href="/organisationen?page=2&amp;typ=wirtschaft"' in first

    second = client.get("/organisationen?typ=wirtschaft&page=2").get_data(as_text=True)
    assert "Verband 22" in second and "Verband 00" not in second


def test_profile_shows_details_place_and_verified_members(
    client, make_organisation, make_municipality, make_user, make_membership
):
    place = make_municipality(name="Lüdenscheid", population=72_313)
    organisation = make_organisation(
        name="Stadt Lüdenscheid", municipality=place, website="https://www.luedenscheid.de",
        description="Wir beleben die Innenstadt.\nZweite Zeile <script>alert(1)</script>",
    )
    admin = make_user(name="Julia Becker", job_title="Citymanagerin")
    make_membership(admin, organisation, role=MembershipRole.ADMIN)
    make_membership(make_user(name="Paula Wartend"), organisation, status=MembershipStatus.PENDING)

    page = client.get(f"/organisationen/{organisation.slug}").get_data(as_text=True)

    assert "<h1>Stadt Lüdenscheid</h1>" in page and "Kommune" in page
    assert "Zweite Zeile &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://www.luedenscheid.de" rel="nofollow noopener">' in page
    assert f'<a href="/kommunen/{place.ags}">Lüdenscheid</a>' in page
    assert "72.313" in page and "Mittelstadt" in page and "Märkischer Kreis" in page
    assert DATA_CREDIT in page
    assert "Julia Becker" in page and "Citymanagerin" in page and "verifiziert" in page
    assert "verwaltet die Organisation" in page
    assert "Paula Wartend" not in page
    assert "Melden Sie sich an, um dieser Organisation beizutreten." in page


def test_profile_of_a_landkreis_shows_the_kreis(client, db, make_organisation, make_municipality):
    make_municipality(kreis_key="14626", kreis_name="Görlitz")
    organisation = make_organisation(name="Landkreis Görlitz", type=OrganisationType.LANDKREIS,
                                     kreis=db.session.get(Kreis, "14626"))

    page = client.get(f"/organisationen/{organisation.slug}").get_data(as_text=True)

    assert "Kreisschlüssel" in page and "14626" in page and "Sachsen" in page
    assert DATA_CREDIT in page


def test_profile_without_directory_data_has_no_data_credit(client, make_organisation):
    organisation = make_organisation(name="Leerstandslotse GmbH", type=OrganisationType.ANBIETER)
    page = client.get(f"/organisationen/{organisation.slug}").get_data(as_text=True)
    assert "Noch niemand ist als Mitglied bestätigt." in page
    assert DATA_CREDIT not in page


@pytest.mark.parametrize(
    ("state", "shown", "hidden"),
    [
        ("unconfirmed", "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse", "/beitreten"),
        ("outsider", "Nachricht an die Organisation (optional)", "Anfrage zurückziehen"),
        ("pending", "Ihre Beitrittsanfrage vom", "/beitreten"),
        ("founder", "bestätigt die Moderation Sie als erste Administratorin", "/beitreten"),
        ("declined", "Ihre letzte Anfrage wurde abgelehnt.", "Anfrage zurückziehen"),
        ("member", "Sie sind verifiziertes Mitglied dieser Organisation.", "/beitreten"),
    ],
)
def test_profile_shows_the_visitors_own_state(
    state, shown, hidden, client, login, make_organisation, make_user, make_membership
):
    organisation = make_organisation(name="Stadt Arnsberg")
    user = make_user(confirmed=state != "unconfirmed")
    statuses = {"pending": MembershipStatus.PENDING, "founder": MembershipStatus.PENDING,
                "declined": MembershipStatus.DECLINED, "member": MembershipStatus.APPROVED}
    if state in statuses:
        role = MembershipRole.ADMIN if state == "founder" else MembershipRole.MEMBER
        make_membership(user, organisation, role=role, status=statuses[state])
    login(user)

    page = client.get(f"/organisationen/{organisation.slug}").get_data(as_text=True)

    assert shown in page and hidden not in page
    can_leave = state in ("pending", "founder", "member")
    assert (f'action="/organisationen/{organisation.slug}/verlassen"' in page) is can_leave


def test_unknown_organisation_is_404(client):
    response = client.get("/organisationen/gibt-es-nicht")
    assert response.status_code == 404 and "Seite nicht gefunden" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Stadt Lüdenscheid", "stadt-luedenscheid"),
        ("Große Kreisstadt Weißenfels", "grosse-kreisstadt-weissenfels"),
        ("  IHK Nord / Süd!  ", "ihk-nord-sued"),
        ("Čakovec", "cakovec"),
        ("!!!", "organisation"),
    ],
)
def test_slugify_transliterates_german(name, slug):
    assert slugify(name) == slug


def test_create_a_kommune_by_ags(client, db, login, make_user, make_municipality, mailbox):
    place = make_municipality(name="Lüdenscheid")
    moderator = make_user(site_role=SiteRole.MODERATOR, email="moderation@example.org")
    creator = make_user(name="Julia Becker")
    login(creator)

    form_page = client.get("/organisationen/neu").get_data(as_text=True)
    assert "bestätigt die Moderation diese Rolle" in form_page

    response = client.post("/organisationen/neu", data={
        "name": "Stadt Lüdenscheid", "type": "kommune", "municipality": place.ags,
        "description": "Kreisstadt", "website": "https://www.luedenscheid.de",
    }, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Sobald die Moderation Sie als Administrator/in bestätigt hat" in page
    organisation = organisation_named(db, "Stadt Lüdenscheid")
    assert organisation.slug == "stadt-luedenscheid" and organisation.municipality == place
    [membership] = organisation.memberships
    assert membership.user == creator and membership.role == MembershipRole.ADMIN
    assert membership.status == MembershipStatus.PENDING
    assert "bestätigt die Moderation Sie als erste Administratorin" in page

    [mail] = mails_to(mailbox, moderator.email)
    assert mail["Subject"] == "Neue Organisation Stadt Lüdenscheid wartet auf Bestätigung"
    assert "Julia Becker" in mail.get_content()
    assert "http://localhost/organisationen/stadt-luedenscheid/mitglieder" in mail.get_content()


def test_create_finds_the_municipality_by_name(client, db, login, make_user, make_municipality):
    place = make_municipality(name="Arnsberg")
    login(make_user())
    client.post("/organisationen/neu", data={"name": "Stadt Arnsberg", "type": "kommune",
                                             "municipality": "arnsberg"})
    assert organisation_named(db, "Stadt Arnsberg").municipality == place


def test_create_a_landkreis_by_kreis_key(client, db, login, make_user, make_municipality):
    make_municipality(kreis_key="14626", kreis_name="Görlitz")
    login(make_user())
    client.post("/organisationen/neu", data={"name": "Landkreis Görlitz", "type": "landkreis",
                                             "kreis_key": "14626"})
    assert organisation_named(db, "Landkreis Görlitz").kreis.name == "Görlitz"


def test_moderators_are_approved_at_once(client, db, login, make_user, mailbox):
    moderator = make_user(site_role=SiteRole.MODERATOR)
    login(moderator)
    form_page = client.get("/organisationen/neu").get_data(as_text=True)
    assert "bestätigt die Moderation diese Rolle" not in form_page

    client.post("/organisationen/neu", data={"name": "Hochschule Süd", "type": "wissenschaft"})

    [membership] = organisation_named(db, "Hochschule Süd").memberships
    assert membership.is_admin and membership.decided_by == moderator
    assert mailbox.deliver() == []


def test_slugs_are_unique_and_never_the_create_path(client, db, login, make_user, make_organisation):
    make_organisation(name="Verband", slug="verband")
    login(make_user(site_role=SiteRole.MODERATOR))
    client.post("/organisationen/neu", data={"name": "Verband", "type": "wirtschaft"})
    client.post("/organisationen/neu", data={"name": "Neu", "type": "wirtschaft"})
    slugs = set(db.session.scalars(sa.select(Organisation.slug)))
    assert slugs == {"verband", "verband-2", "neu-2"}


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"name": "", "type": "anbieter"}, "name", "Bitte geben Sie einen Namen an."),
        ({"name": "X", "type": "kommune", "municipality": ""}, "municipality",
         "Bitte geben Sie den Gemeindeschlüssel (AGS) oder den Namen der Gemeinde an."),
        ({"name": "X", "type": "kommune", "municipality": "99999999"}, "municipality",
         "Es gibt keine Gemeinde mit dem Schlüssel 99999999."),
        ({"name": "X", "type": "kommune", "municipality": "Atlantis"}, "municipality",
         "Keine Gemeinde heißt „Atlantis“."),
        ({"name": "X", "type": "landkreis", "kreis_key": "5962"}, "kreis_key",
         "Der Kreisschlüssel besteht aus fünf Ziffern"),
        ({"name": "X", "type": "landkreis", "kreis_key": "01001"}, "kreis_key",
         "Es gibt keinen Kreis mit dem Schlüssel 01001."),
        ({"name": "X", "type": "anbieter", "municipality": "Lüdenscheid"}, "municipality",
         "Dieses Feld gilt nur für Organisationen vom Typ Kommune."),
        ({"name": "X", "type": "anbieter", "website": "www.example.org"}, "website",
         "Bitte geben Sie eine vollständige Adresse an"),
    ],
)
def test_create_explains_bad_input_and_keeps_it(client, db, login, make_user, form, field, message):
    login(make_user())
    response = client.post("/organisationen/neu", data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in page and f'href="#{field}"' in page
    assert f'<p class="error-message" id="{field}-error">{message}' in page
    for value in form.values():
        assert f'value="{value}"' in page or f'<option selected value="{value}">' in page
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0


def test_an_ambiguous_name_lists_the_candidates(client, login, make_user, make_municipality):
    make_municipality(name="Neustadt", ags="07337061", kreis_key="07337", kreis_name="Südliche Weinstraße")
    make_municipality(name="Neustadt", ags="06534014", kreis_key="06534", kreis_name="Marburg-Biedenkopf")
    login(make_user())
    page = client.post("/organisationen/neu", data={"name": "Stadt Neustadt", "type": "kommune",
                                                    "municipality": "Neustadt"}).get_data(as_text=True)
    assert "Mehrere Gemeinden heißen so" in page
    assert "Neustadt (07337061, Südliche Weinstraße)" in page and "06534014" in page


def test_a_municipality_has_one_organisation(client, login, make_user, make_organisation, make_municipality):
    place = make_municipality(name="Jena")
    make_organisation(name="Stadt Jena", municipality=place)
    login(make_user())
    page = client.post("/organisationen/neu", data={"name": "Jena", "type": "kommune",
                                                    "municipality": place.ags}).get_data(as_text=True)
    assert "Dafür gibt es schon eine Organisation: Stadt Jena." in page


def test_admins_edit_description_and_website_only(
    client, db, login, make_user, make_organisation, make_membership, make_municipality
):
    place = make_municipality()
    organisation = make_organisation(name="Stadt Jena", municipality=place)
    admin = make_user()
    make_membership(admin, organisation, role=MembershipRole.ADMIN)
    login(admin)

    page = client.get(f"/organisationen/{organisation.slug}/bearbeiten").get_data(as_text=True)
    assert 'name="description"' in page and 'name="website"' in page and 'name="name"' not in page
    assert "ändert die Moderation" in page

    response = client.post(f"/organisationen/{organisation.slug}/bearbeiten", data={
        "description": "Universitätsstadt", "website": "https://www.jena.de", "name": "Gekapert",
        "type": "anbieter",
    }, follow_redirects=True)

    assert "Die Änderungen sind gespeichert." in response.get_data(as_text=True)
    db.session.refresh(organisation)
    assert organisation.description == "Universitätsstadt" and organisation.website == "https://www.jena.de"
    assert organisation.name == "Stadt Jena" and organisation.type == OrganisationType.KOMMUNE
    assert organisation.municipality == place


def test_moderators_edit_name_type_and_link(
    client, db, login, make_user, make_organisation, make_municipality
):
    first, second = make_municipality(name="Erstort"), make_municipality(name="Zweitort")
    make_organisation(name="Gemeinde Zweitort", municipality=second)
    organisation = make_organisation(name="Gemeinde Erstort", municipality=first)
    login(make_user(site_role=SiteRole.MODERATOR))
    slug = organisation.slug
    path = f"/organisationen/{slug}/bearbeiten"

    page = client.get(path).get_data(as_text=True)
    assert f'value="{first.ags}"' in page and 'value="Gemeinde Erstort"' in page

    taken = client.post(path, data={"name": "Gemeinde Erstort", "type": "kommune",
                                    "municipality": second.ags})
    assert "Dafür gibt es schon eine Organisation: Gemeinde Zweitort." in taken.get_data(as_text=True)

    client.post(path, data={"name": "Verband Erstort", "type": "wirtschaft", "description": "Ein Verband"})
    db.session.refresh(organisation)
    assert organisation.name == "Verband Erstort" and organisation.type == OrganisationType.WIRTSCHAFT
    assert organisation.municipality is None and organisation.slug == slug  # links stay valid

