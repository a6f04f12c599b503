"""Account settings: profile, language, password and address changes, the public profile."""

import pytest

from stadtnetz.accounts.models import MembershipRole, MembershipStatus, User
from tests.accounts.account_helpers import link_path, log_in, mails_to, only_mail_to, second_server
from tests.conftest import PASSWORD

NEW_PASSWORD = "ein ganz neues Passwort"
PROFILE = {
    "name": "Clara Citymanagerin", "job_title": "Citymanagement", "bio": "Zeile 1\nZeile 2", "locale": ""
}


@pytest.mark.parametrize(
    "path", ["/konto", "/konto/passwort", "/konto/email", "/konto/daten", "/konto/loeschen"]
)
def test_settings_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/anmelden?next={path.replace('/', '%2F')}"


def test_profile_is_saved_and_shown_publicly(client, db, login, make_user):
    user = make_user()
    login(user)
    page = client.post("/konto", data=PROFILE, follow_redirects=True).get_data(as_text=True)
    assert "Ihr Profil ist gespeichert" in page and 'value="Clara Citymanagerin"' in page

    public = client.get(f"/personen/{user.id}").get_data(as_text=True)
    assert "<h1>Clara Citymanagerin" in public and "Citymanagement" in public
    assert "Zeile 1\nZeile 2" in public and user.email not in public


def test_profile_errors_are_summarised_and_input_kept(client, db, login, make_user):
    user = make_user(name="Vorher")
    login(user)
    data = {**PROFILE, "name": "  ", "job_title": "x" * 121, "bio": "Mein <b>Text</b>"}
    page = client.post("/konto", data=data).get_data(as_text=True)
    assert "Bitte korrigieren Sie folgende Angaben" in page
    assert 'href="#name"' in page and "Bitte geben Sie Ihren Namen an" in page
    assert "höchstens 120 Zeichen" in page
    assert "Mein &lt;b&gt;Text&lt;/b&gt;" in page and "x" * 121 in page
    assert db.session.get(User, user.id).name == "Vorher"


def test_language_setting_switches_the_interface(app, make_user):
    user = make_user()
    with second_server(app) as server:
        client = server.test_client()
        log_in(client, user.email)
        client.post("/konto", data={**PROFILE, "locale": "en"})
        assert '<html lang="en">' in client.get("/konto", headers={"Accept-Language": "de"}).text
        client.post("/konto", data={**PROFILE, "locale": ""})
        assert '<html lang="de">' in client.get("/konto", headers={"Accept-Language": "de"}).text
        assert '<html lang="en">' in client.get("/konto", headers={"Accept-Language": "en"}).text


def test_memberships_are_listed_with_their_status(
    client, login, make_user, make_organisation, make_membership
):
    user = make_user()
    make_membership(user, make_organisation(name="Stadt Lüdenscheid", slug="luedenscheid"),
                    role=MembershipRole.ADMIN)
    make_membership(user, make_organisation(name="Kreis Soest", slug="kreis-soest"),
                    status=MembershipStatus.PENDING)
    login(user)
    page = client.get("/konto").get_data(as_text=True)
    assert 'href="/organisationen/luedenscheid">Stadt Lüdenscheid</a>' in page
    assert "Administration" in page and "bestätigt" in page and "beantragt" in page
    assert page.index("Kreis Soest") < page.index("Stadt Lüdenscheid")


def test_public_profile_shows_badge_and_only_approved_organisations(
    client, make_user, make_organisation, make_membership
):
    person = make_user(job_title="Wirtschaftsförderung")
    make_membership(person, make_organisation(name="Stadt Iserlohn", slug="iserlohn"))
    make_membership(person, make_organisation(name="Geheimverein"), status=MembershipStatus.PENDING)
    page = client.get(f"/personen/{person.id}").get_data(as_text=True)
    assert "verifiziert" in page and "Stadt Iserlohn" in page and "Geheimverein" not in page
    assert client.get("/personen/999999").status_code == 404


def test_password_change_keeps_this_session_and_ends_the_others(app, mailbox, make_user):
    user = make_user()
    with second_server(app) as server:
        client, other_device = server.test_client(), server.test_client()
        log_in(other_device, user.email, remember="y")
        log_in(client, user.email)

        new = {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
        wrong = {"current_password": "falsch-falsch", **new}
        page = client.post("/konto/passwort", data=wrong).text
        assert "Das aktuelle Passwort stimmt nicht" in page

        right = {**wrong, "current_password": PASSWORD}
        page = client.post("/konto/passwort", data=right, follow_redirects=True).text
        assert "Ihr Passwort ist geändert" in page
        assert client.get("/konto").status_code == 200
        assert other_device.get("/konto").status_code == 302  # session and remember-me cookie ended
    assert "Passwort wurde geändert" in only_mail_to(mailbox, user.email)["Subject"]


def test_email_change_takes_effect_only_after_confirming(client, db, mailbox, login, make_user):
    user = make_user(email="alt@example.org")
    login(user)
    data = {"email": " Neu@Example.org", "password": PASSWORD}
    page = client.post("/konto/email", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Bestätigungslink an neu@example.org" in page and "wartet auf Bestätigung" in page

    confirmation = only_mail_to(mailbox, "neu@example.org")
    notice = only_mail_to(mailbox, "alt@example.org")
    assert "neu@example.org" in notice.get_content()
    assert db.session.get(User, user.id).email == "alt@example.org"

    path = link_path(confirmation, "/konto/email/bestaetigen/")
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "Ihre neue E-Mail-Adresse neu@example.org ist bestätigt" in page
    stored = db.session.get(User, user.id)
    assert (stored.email, stored.pending_email) == ("neu@example.org", None)
    assert client.get(path).status_code == 400  # used up

    client.post("/abmelden")
    old, new = ({"email": email, "password": PASSWORD} for email in ("alt@example.org", "neu@example.org"))
    assert "falsch" in client.post("/anmelden", data=old).text
    assert client.post("/anmelden", data=new).status_code == 302


def test_email_change_to_a_taken_address_answers_the_same(client, db, mailbox, login, make_user):
    user, other = make_user(), make_user(email="vergeben@example.org")
    login(user)
    data = {"email": other.email, "password": PASSWORD}
    page = client.post("/konto/email", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Bestätigungslink an vergeben@example.org" in page
    assert db.session.get(User, user.id).pending_email is None
    [notice] = mails_to(mailbox, other.email)
    assert not [link for link in notice.get_content().split() if "/bestaetigen/" in link]


def test_email_change_needs_the_password(client, db, login, make_user):
    user = make_user()
    login(user)
    page = client.post("/konto/email", data={"email": "neu@example.org", "password": "falsch"}).text
    assert "Das Passwort stimmt nicht" in page and 'value="neu@example.org"' in page
    assert db.session.get(User, user.id).pending_email is None
