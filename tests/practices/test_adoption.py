"""Adoptions: a verified member of another organisation records "Wir haben das übernommen" or
"Hat uns inspiriert" once per organisation; the practice and both municipality pages show it."""

import pytest
import sqlalchemy as sa

from stadtnetz.errors import Invalid, PermissionDenied
from stadtnetz.practices import services
from stadtnetz.practices.models import Adoption
from stadtnetz.practices.topics import AdoptionKind


def _adoptions(db) -> list[Adoption]:
    return db.session.scalars(sa.select(Adoption)).all()


def test_a_member_of_another_municipality_adopts(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home, title="Leerstandskataster")
    login(world.outsider)
    page = client.get(practice.url).get_data(as_text=True)
    assert "Haben Sie das übernommen?" in page and "Für Stadt Iserlohn" in page
    response = client.post(
        f"/praxisbeispiele/{practice.id}/uebernahme",
        data={
            "adoption-organisation": world.other.id,
            "adoption-kind": "adopted",
            "adoption-note": "Mit eigenem Kataster.",
        },
    )
    assert response.status_code == 302
    [adoption] = _adoptions(db)
    assert (adoption.organisation, adoption.user, adoption.kind) == (
        world.other,
        world.outsider,
        AdoptionKind.ADOPTED,
    )
    page = client.get(practice.url).get_data(as_text=True)
    assert (
        "Stadt Iserlohn</a>:" in page
        and "Wir haben das übernommen" in page
        and "Mit eigenem Kataster." in page
    )
    # Once per organisation: the form is gone, and a second try is refused.
    assert "Haben Sie das übernommen?" not in page
    assert (
        client.post(
            f"/praxisbeispiele/{practice.id}/uebernahme",
            data={"adoption-organisation": world.other.id, "adoption-kind": "inspired"},
        ).status_code
        == 403
    )
    assert len(_adoptions(db)) == 1


def test_adoption_rules_in_the_service(db, world, make_practice, make_user, make_membership):
    practice = make_practice(organisation=world.home)
    with pytest.raises(PermissionDenied):  # not on behalf of the practice's own organisation
        services.adopt_practice(world.member, practice, world.home, AdoptionKind.ADOPTED)
    with pytest.raises(PermissionDenied):  # verified members only
        services.adopt_practice(world.unverified, practice, world.other, AdoptionKind.ADOPTED)
    # A member of both organisations may adopt for the other one only.
    both = make_user()
    make_membership(both, world.home)
    make_membership(both, world.other)
    assert services.adoption_organisations(both, practice) == [world.other]
    with pytest.raises(Invalid):
        services.adopt_practice(both, practice, world.home, AdoptionKind.INSPIRED)
    services.adopt_practice(both, practice, world.other, AdoptionKind.INSPIRED)
    with pytest.raises(PermissionDenied):  # once per organisation
        services.adopt_practice(world.outsider, practice, world.other, AdoptionKind.ADOPTED)
    draft = make_practice(organisation=world.home, state="draft")
    with pytest.raises(PermissionDenied):
        services.adopt_practice(world.outsider, draft, world.other, AdoptionKind.ADOPTED)


def test_withdrawing_an_adoption(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home)
    adoption = services.adopt_practice(world.outsider, practice, world.other, AdoptionKind.INSPIRED)
    db.session.commit()
    url = f"/praxisbeispiele/{practice.id}/uebernahme/{adoption.id}/zuruecknehmen"
    login(world.member)
    assert client.post(url).status_code == 403
    login(world.outsider)
    assert client.post(url).status_code == 302
    assert _adoptions(db) == []


def test_municipality_pages_show_adoptions_both_ways(client, db, world, make_practice):
    practice = make_practice(organisation=world.home, title="Pop-up-Stores in der Altstadt")
    services.adopt_practice(world.outsider, practice, world.other, AdoptionKind.ADOPTED)
    db.session.commit()
    home_page = client.get(f"/kommunen/{world.home.municipality.ags}").get_data(as_text=True)
    assert "Praxisbeispiele von Lüdenscheid" in home_page and "Pop-up-Stores in der Altstadt" in home_page
    assert "Andere haben von Lüdenscheid übernommen" in home_page and "Stadt Iserlohn:" in home_page
    other_page = client.get(f"/kommunen/{world.other.municipality.ags}").get_data(as_text=True)
    assert (
        "Von anderen übernommen" in other_page
        and "Pop-up-Stores in der Altstadt</a> (Stadt Lüdenscheid)" in other_page
    )
    assert "Stadt Iserlohn hat noch keine Praxisbeispiele veröffentlicht." in other_page
