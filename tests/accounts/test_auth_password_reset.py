"""Password reset by mail, and the rate limits that guard login, registration and reset."""

from stadtnetz.accounts.models import User
from tests.accounts.account_helpers import link_path, log_in, only_mail_to, second_server

NEW_PASSWORD = "ein ganz neues Passwort"


def test_reset_sets_a_new_password_once_and_ends_other_sessions(app, db, mailbox, make_user):
    user = make_user(name="Rita Reset")
    with second_server(app) as server:
        browser, other_device = server.test_client(), server.test_client()
        assert "Sie sind angemeldet" in log_in(other_device, user.email, remember="y")

        page = browser.post("/passwort-vergessen", data={"email": user.email.upper()}).text
        assert "Bitte prüfen Sie Ihr Postfach" in page
        path = link_path(only_mail_to(mailbox, user.email), "/passwort-neu/")
        mailbox.clear()
        assert "Neues Passwort wählen" in browser.get(path).text

        new = {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
        response = browser.post(path, data=new, follow_redirects=True)
        assert response.request.path == "/konto" and "Rita Reset" in response.text
        assert "Alle anderen Sitzungen wurden beendet" in response.text
        assert "Passwort wurde geändert" in only_mail_to(mailbox, user.email)["Subject"]

        reused = browser.get(path)
        assert reused.status_code == 400 and "schon benutzt" in reused.text
        assert other_device.get("/konto").headers["Location"].startswith("/anmelden")
        browser.post("/abmelden")
        assert "falsch" in log_in(browser, user.email)
        assert "Sie sind angemeldet" in log_in(browser, user.email, NEW_PASSWORD)


def test_reset_form_explains_bad_input(client, mailbox, make_user):
    user = make_user()
    client.post("/passwort-vergessen", data={"email": user.email})
    path = link_path(only_mail_to(mailbox, user.email), "/passwort-neu/")
    page = client.post(path, data={"password": "kurz", "password_repeat": "anders"}).get_data(as_text=True)
    assert "zwischen 10 und 128 Zeichen" in page and "stimmen nicht überein" in page


def test_reset_request_for_unknown_address_looks_the_same(client, mailbox, make_user):
    make_user()
    page = client.post("/passwort-vergessen", data={"email": "niemand@example.org"}).get_data(as_text=True)
    assert "Bitte prüfen Sie Ihr Postfach" in page
    assert mailbox.deliver() == []


def test_reset_confirms_an_unconfirmed_address(client, db, mailbox, make_user):
    user = make_user(confirmed=False)
    client.post("/passwort-vergessen", data={"email": user.email})
    path = link_path(only_mail_to(mailbox, user.email), "/passwort-neu/")
    client.post(path, data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert db.session.get(User, user.id).email_confirmed


def test_login_is_rate_limited_with_a_german_page(app, make_user):
    user = make_user()
    wrong = {"email": user.email, "password": "falsches-Passwort"}
    with second_server(app, RATELIMIT_ENABLED=True) as server:
        client = server.test_client()
        for _attempt in range(10):
            assert "falsch" in client.post("/anmelden", data=wrong).text
        response = client.post("/anmelden", data=wrong)
        assert response.status_code == 429
        assert "Zu viele Anfragen" in response.text and '<html lang="de">' in response.text
        assert client.get("/anmelden").status_code == 200  # only the POST is limited

