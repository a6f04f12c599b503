"""Privacy: downloading all of one's data and deleting the account."""

import json

import sqlalchemy as sa

from stadtnetz.accounts.models import Membership, User
from stadtnetz.signals import account_deleting, collect_personal_data
from tests.accounts.account_helpers import only_mail_to
from tests.conftest import PASSWORD


def test_data_page_explains_what_is_stored(client, login, make_user):
    login(make_user())
    page = client.get("/konto/daten").get_data(as_text=True)
    assert "Was wir speichern" in page and "Daten herunterladen (JSON)" in page


def test_export_contains_profile_and_memberships_but_no_secrets(
    client, login, make_user, make_organisation, make_membership
):
    user = make_user(name="Erika Export", job_title="Bauamt", bio="Über mich")
    make_membership(user, make_organisation(name="Stadt Menden", slug="menden"))
    login(user)

    def add_example_section(_sender, user, export, **_kw):
        export["example"] = {"notes": [f"note by {user.id}"]}

    with collect_personal_data.connected_to(add_example_section):
        response = client.post("/konto/daten")
    assert response.headers["Content-Disposition"] == f"attachment; filename=stadtnetz-daten-{user.id}.json"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["name"] == "Erika Export" and data["account"]["email"] == user.email
    assert data["account"]["job_title"] == "Bauamt" and data["account"]["last_login_at"]
    assert data["memberships"][0]["organisation"] == "Stadt Menden"
    assert data["memberships"][0]["status"] == "approved"
    assert data["example"] == {"notes": [f"note by {user.id}"]}
    body = response.get_data(as_text=True)
    assert user.password_hash not in body and user.session_token not in body


def test_delete_refuses_a_wrong_password(client, db, login, make_user):
    user = make_user()
    login(user)
    page = client.post("/konto/loeschen", data={"password": "falsch", "delete_content": "y"}).text
    assert "Das Passwort stimmt nicht" in page
    assert db.session.get(User, user.id) is not None


def test_delete_removes_user_and_memberships_and_says_goodbye(
    client, db, mailbox, login, make_user, make_organisation, make_membership
):
    user = make_user(name="Dora Delete")
    user_id, email = user.id, user.email
    make_membership(user, make_organisation())
    login(user)
    page = client.get("/konto/loeschen").get_data(as_text=True)
    assert "„gelöschtes Konto“" in page and "Auch meine Beiträge löschen" in page

    heard = []

    def detach_content(_sender, user, delete_content, **_kw):
        heard.append((user.id, delete_content))

    with account_deleting.connected_to(detach_content):
        response = client.post(
            "/konto/loeschen", data={"password": PASSWORD, "delete_content": "y"}, follow_redirects=True
        )
    page = response.get_data(as_text=True)
    assert "Ihr Konto ist gelöscht" in page and "Dora Delete" not in page
    assert heard == [(user_id, True)]
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 0
    goodbye = only_mail_to(mailbox, email)
    assert "gelöscht" in goodbye["Subject"] and "ebenfalls gelöscht" in goodbye.get_content()
    assert client.get("/konto").status_code == 302
