"""Registration, confirmation, login and logout, through the pages and the real SMTP server."""

import sqlalchemy as sa
from flask_login.config import COOKIE_NAME

from stadtnetz.accounts.models import User
from tests.accounts.account_helpers import link_path, log_in, mails_to, only_mail_to, second_server
from tests.conftest import PASSWORD

REGISTRATION = {
    "name": "Anna Beispiel",
    "email": "  Anna.Beispiel@Example.ORG ",
    "password": PASSWORD,
    "password_repeat": PASSWORD,
    "accept_privacy": "y",
}


def users_named(db, email: str) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.email == email)))


def test_register_confirm_and_log_in(client, db, mailbox):
    page = client.get("/registrieren").get_data(as_text=True)
    assert "Datenschutzhinweise" in page and 'autocomplete="new-password"' in page

    response = client.post("/registrieren", data=REGISTRATION)
    assert "Bitte prüfen Sie Ihr Postfach" in response.get_data(as_text=True)
    [user] = users_named(db, "anna.beispiel@example.org")
    assert user.name == "Anna Beispiel" and not user.email_confirmed
    assert PASSWORD not in user.password_hash

    mail = only_mail_to(mailbox, "anna.beispiel@example.org")
    assert "bestätigen" in mail["Subject"]
    response = client.get(link_path(mail, "/registrieren/bestaetigen/"), follow_redirects=True)
    assert "Ihre E-Mail-Adresse ist bestätigt" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).email_confirmed_at is not None

    response = client.post(
        "/anmelden", data={"email": "anna.beispiel@example.org", "password": PASSWORD}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Sie sind angemeldet" in page and "Anna Beispiel" in page
    assert db.session.get(User, user.id).last_login_at is not None


def test_registration_errors_are_explained_and_input_kept(client, db):
    data = {**REGISTRATION, "email": "keine-adresse", "password_repeat": "etwas anderes"}
    del data["accept_privacy"]
    page = client.post("/registrieren", data={**data, "password": "kurz"}).get_data(as_text=True)
    assert "Bitte korrigieren Sie folgende Angaben" in page
    for message in (
        "gültige E-Mail-Adresse",
        "zwischen 10 und 128 Zeichen",
        "stimmen nicht überein",
        "Bitte bestätigen Sie die Datenschutzhinweise",
    ):
        assert message in page
    assert 'value="Anna Beispiel"' in page and 'value="keine-adresse"' in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_registering_a_taken_address_reveals_nothing_and_tells_its_owner(client, db, mailbox, make_user):
    owner = make_user(email="anna.beispiel@example.org", name="Anna Alt")
    page = client.post("/registrieren", data=REGISTRATION).get_data(as_text=True)

    assert "Bitte prüfen Sie Ihr Postfach" in page and "bereits" not in page
    assert [u.name for u in users_named(db, owner.email)] == ["Anna Alt"]
    mail = only_mail_to(mailbox, owner.email)
    assert "bereits ein Konto" in mail["Subject"]
    reset_page = client.get(link_path(mail, "/passwort-neu/")).get_data(as_text=True)
    assert "Neues Passwort wählen" in reset_page


def test_bad_or_expired_confirmation_link_offers_a_new_one(app, client, mailbox, make_user):
    user = make_user(confirmed=False)
    client.post("/registrieren/erneut-senden", data={"email": user.email})
    path = link_path(only_mail_to(mailbox, user.email), "/bestaetigen/")

    tampered = client.get(path + "x")
    assert tampered.status_code == 400
    assert "ungültig oder abgelaufen" in tampered.get_data(as_text=True)
    app.config["TOKEN_MAX_AGE"] = -1  # every token is now too old
    page = client.get(path).get_data(as_text=True)
    assert "ungültig oder abgelaufen" in page and "/registrieren/erneut-senden" in page
    assert not user.email_confirmed


def test_resend_answers_the_same_for_every_address(client, mailbox, make_user):
    unconfirmed, confirmed = make_user(confirmed=False), make_user()
    pages = [
        client.post("/registrieren/erneut-senden", data={"email": email}).get_data(as_text=True)
        for email in (unconfirmed.email, confirmed.email, "niemand@example.org")
    ]
    assert all("Bitte prüfen Sie Ihr Postfach" in page for page in pages)
    assert [m["To"] for m in mailbox.deliver()] == [unconfirmed.email]


def test_wrong_password_and_unknown_address_get_the_same_answer(client, make_user):
    user = make_user()
    for email, password in ((user.email, "falsches-Passwort"), ("niemand@example.org", PASSWORD)):
        page = client.post("/anmelden", data={"email": email, "password": password}).get_data(as_text=True)
        assert "E-Mail-Adresse oder Passwort ist falsch" in page
        assert f'value="{email}"' in page
    assert "Abmelden" not in client.get("/").get_data(as_text=True)


def test_unconfirmed_user_logs_in_and_is_reminded(client, login, make_user):
    page = login(make_user(confirmed=False)).get_data(as_text=True)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in page


def test_remember_me_keeps_the_login_beyond_the_session(app, make_user):
    user = make_user()
    with second_server(app) as server:
        client = server.test_client()
        log_in(client, user.email)
        assert client.get_cookie(COOKIE_NAME) is None
        client.post("/abmelden")

        log_in(client, user.email, remember="y")
        cookie = client.get_cookie(COOKIE_NAME)
        assert cookie is not None and cookie.http_only and cookie.expires is not None
        client.delete_cookie("session")  # the browser was closed
        assert client.get("/konto").status_code == 200


def test_logout_is_post_only_and_ends_the_session(client, login, make_user):
    login(make_user(name="Bea Abmeldung"))
    assert client.get("/abmelden").status_code == 405
    page = client.post("/abmelden", follow_redirects=True).get_data(as_text=True)
    assert "Sie sind abgemeldet" in page and "Bea Abmeldung" not in page


def test_protected_page_sends_to_login_and_back(client, make_user):
    user = make_user()
    response = client.get("/konto", follow_redirects=True)
    assert "Bitte melden Sie sich an" in response.get_data(as_text=True)
    assert response.request.path == "/anmelden"
    response = client.post(
        "/anmelden?next=%2Fkonto", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/konto"


def test_login_refuses_to_redirect_off_site(client, make_user):
    user = make_user()
    credentials = {"email": user.email, "password": PASSWORD}
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/anmelden", query_string={"next": target}, data=credentials)
        assert response.headers["Location"] == "/", target
        client.post("/abmelden")


def test_mail_links_point_to_the_public_base_url(app, client, mailbox, make_user):
    app.config["BASE_URL"] = "https://stadtnetz.example"
    user = make_user()
    client.post("/passwort-vergessen", data={"email": user.email})
    [mail] = mails_to(mailbox, user.email)
    assert "https://stadtnetz.example/passwort-neu/" in mail.get_content()
