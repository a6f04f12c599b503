"""The moderation page (requests of all organisations, organisations without an admin, site
roles) and the moderators' e-mail domain management."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import (
    MembershipRole,
    MembershipStatus,
    OrganisationDomain,
    SiteRole,
    User,
)
from stadtnetz.database import utcnow

PENDING = MembershipStatus.PENDING


def domains(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OrganisationDomain.domain).order_by(OrganisationDomain.domain)))


def test_moderators_see_open_requests_oldest_first(
    client, db, login, make_user, make_organisation, make_membership
):
    jena, arnsberg = make_organisation(name="Stadt Jena"), make_organisation(name="Stadt Arnsberg")
    newer = make_membership(make_user(name="Nora Neu"), jena, status=PENDING)
    older = make_membership(make_user(name="Otto Alt"), arnsberg, status=PENDING)
    older.requested_at, older.message = utcnow() - timedelta(days=3), "Ich bin der Kämmerer."
    db.session.commit()
    make_membership(make_user(name="Bea Bestätigt"), jena)
    login(make_user(site_role=SiteRole.MODERATOR))

    page = client.get("/moderation").get_data(as_text=True)

    assert "<h1>Moderation</h1>" in page
    assert page.index("Otto Alt") < page.index("Nora Neu")
    assert "Ich bin der Kämmerer." in page and "Bea Bestätigt" not in page
    assert f'href="/organisationen/{arnsberg.slug}">Stadt Arnsberg</a>' in page
    # Moderators moderate; only admins see the accounts and their roles.
    assert "Benutzerkonten und Rollen" not in page

    response = client.post(f"/organisationen/{jena.slug}/mitglieder/{newer.id}",
                           data={"action": "approve", "next": "/moderation"})
    assert response.status_code == 302 and response.location.endswith("/moderation")
    db.session.refresh(newer)
    assert newer.status == MembershipStatus.APPROVED


def test_organisations_without_an_approved_admin_are_listed(
    client, login, make_user, make_organisation, make_membership
):
    waiting = make_organisation(name="Gemeinde Wartend")
    make_membership(make_user(name="Gründerin Gabi"), waiting, role=MembershipRole.ADMIN, status=PENDING)
    make_organisation(name="Verband Verwaist")
    managed = make_organisation(name="Stadt Verwaltet")
    make_membership(make_user(), managed, role=MembershipRole.ADMIN)
    login(make_user(site_role=SiteRole.MODERATOR))

    page = client.get("/moderation").get_data(as_text=True)
    orphaned = page[page.index("Organisationen ohne bestätigte Administration"):]

    assert "Gemeinde Wartend" in orphaned and "wartet auf Bestätigung: Gründerin Gabi" in orphaned
    assert "Verband Verwaist" in orphaned and "Stadt Verwaltet" not in orphaned
    assert f'href="/organisationen/{waiting.slug}/mitglieder"' in orphaned
    assert "als Administration" in page  # Gabi's request in the queue above


def test_admins_search_users_and_set_site_roles(client, db, login, make_user):
    admin = make_user(name="Ada Admin", site_role=SiteRole.ADMIN)
    make_user(name="Karl Kommune", email="karl@kommune.example")
    target = make_user(name="Mia Moderiert", email="mia@example.org")
    login(admin)

    page = client.get("/moderation?q=mia").get_data(as_text=True)
    assert "Benutzerkonten und Rollen" in page
    assert "Mia Moderiert" in page and "Karl Kommune" not in page
    assert f'<label for="role-{target.id}" class="visually-hidden">Rolle von Mia Moderiert</label>' in page

    response = client.post(f"/moderation/benutzer/{target.id}/rolle", data={"role": "moderator"},
                           follow_redirects=True)

    assert "Mia Moderiert hat jetzt die Rolle „Moderation“." in response.get_data(as_text=True)
    assert db.session.get(User, target.id).site_role == SiteRole.MODERATOR


def test_the_last_admin_cannot_step_down(client, db, login, make_user):
    admin = make_user(site_role=SiteRole.ADMIN)
    login(admin)
    response = client.post(f"/moderation/benutzer/{admin.id}/rolle", data={"role": "member"},
                           follow_redirects=True)
    assert "Sie sind die einzige Administratorin bzw. der einzige Administrator." in response.get_data(
        as_text=True)
    db.session.refresh(admin)
    assert admin.site_role == SiteRole.ADMIN

    make_user(site_role=SiteRole.ADMIN)
    client.post(f"/moderation/benutzer/{admin.id}/rolle", data={"role": "moderator"})
    db.session.refresh(admin)
    assert admin.site_role == SiteRole.MODERATOR


def test_an_unknown_site_role_is_a_bad_request(client, login, make_user):
    login(make_user(site_role=SiteRole.ADMIN))
    target = make_user()
    assert client.post(f"/moderation/benutzer/{target.id}/rolle", data={"role": "king"}).status_code == 400


def test_moderators_add_and_remove_domains(client, db, login, make_user, make_organisation):
    organisation = make_organisation(name="Stadt Lüdenscheid")
    login(make_user(site_role=SiteRole.MODERATOR))
    path = f"/organisationen/{organisation.slug}/domains"

    response = client.post(path, data={"domain": " @Luedenscheid.DE. "}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Bestätigte Adressen bei luedenscheid.de werden jetzt automatisch verifiziert." in page
    assert domains(db) == ["luedenscheid.de"]
    [entry] = organisation.domains
    response = client.post(f"{path}/{entry.id}/entfernen", follow_redirects=True)
    assert "Die Domain luedenscheid.de ist entfernt." in response.get_data(as_text=True)
    assert domains(db) == []


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("gmail.com", "gmail.com ist ein öffentlicher E-Mail-Anbieter."),
        ("GMX.de", "gmx.de ist ein öffentlicher E-Mail-Anbieter."),
        ("t-online.de", "t-online.de ist ein öffentlicher E-Mail-Anbieter."),
        ("https://www.luedenscheid.de", "Bitte geben Sie eine Domain wie"),
        ("luedenscheid", "Bitte geben Sie eine Domain wie"),
        ("anna@luedenscheid.de", "Bitte geben Sie eine Domain wie"),
        ("-stadt.de", "Bitte geben Sie eine Domain wie"),
        ("", "Bitte geben Sie eine Domain an."),
    ],
)
def test_bad_domains_are_explained(client, db, login, make_user, make_organisation, domain, message):
    organisation = make_organisation()
    login(make_user(site_role=SiteRole.MODERATOR))
    response = client.post(f"/organisationen/{organisation.slug}/domains", data={"domain": domain})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in page and f'id="domain-error">{message}' in page
    assert f'value="{domain}"' in page
    assert domains(db) == []


def test_a_domain_belongs_to_one_organisation(client, db, login, make_user, make_organisation):
    make_organisation(name="Stadt Jena", domains=[OrganisationDomain(domain="jena.de")])
    other = make_organisation(name="Jena Marketing")
    login(make_user(site_role=SiteRole.MODERATOR))
    page = client.post(f"/organisationen/{other.slug}/domains", data={"domain": "Jena.de"}).get_data(
        as_text=True)
    assert "Die Domain jena.de gehört schon zu Stadt Jena." in page


def test_umlaut_domains_are_accepted(client, db, login, make_user, make_organisation):
    organisation = make_organisation()
    login(make_user(site_role=SiteRole.MODERATOR))
    client.post(f"/organisationen/{organisation.slug}/domains", data={"domain": "Müllheim.de"})
    assert domains(db) == ["müllheim.de"]
