"""Joining an organisation: requests, automatic verification by e-mail domain, the mails to
whoever decides, the decisions and the mails back, through the pages and the real SMTP server."""

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    OrganisationDomain,
    SiteRole,
)
from tests.accounts.account_helpers import link_path, mails_to, only_mail_to


@pytest.fixture
def switch_to(client, login):
    """Log the current user out and ``user`` in (the client keeps its session cookie)."""

    def switch(user):
        client.post("/abmelden")
        return login(user)

    return switch


@pytest.fixture
def town(db, make_organisation, make_user, make_membership):
    """Stadt Beispielstadt with one admin and the domain beispielstadt.de."""
    organisation = make_organisation(name="Stadt Beispielstadt")
    db.session.add(OrganisationDomain(organisation=organisation, domain="beispielstadt.de"))
    admin = make_user(name="Olga Admin", email="olga@example.org")
    make_membership(admin, organisation, role=MembershipRole.ADMIN)
    return organisation


def admin_of(organisation):
    return next(m.user for m in organisation.memberships if m.is_admin)


def membership(db, user, organisation) -> Membership | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id,
                                                         Membership.organisation_id == organisation.id))


def test_a_request_is_mailed_to_the_organisations_admins(client, db, login, make_user, town, mailbox):
    make_user(site_role=SiteRole.MODERATOR, email="mod@example.org")
    requester = make_user(name="Rainer Antrag", email="rainer@example.org", job_title="Stadtplanung")
    login(requester)

    response = client.post(f"/organisationen/{town.slug}/beitreten",
                           data={"message": "Ich leite das Stadtplanungsamt."}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Ihre Anfrage ist gesendet." in page and "Ihre Beitrittsanfrage vom" in page
    request = membership(db, requester, town)
    assert request.status == MembershipStatus.PENDING and request.message == "Ich leite das Stadtplanungsamt."

    mail = only_mail_to(mailbox, "olga@example.org")
    assert mail["Subject"] == "Beitrittsanfrage für Stadt Beispielstadt"
    body = mail.get_content()
    assert "Hallo Olga Admin," in body and "Rainer Antrag (rainer@example.org)" in body
    assert "Funktion: Stadtplanung" in body and "Ich leite das Stadtplanungsamt." in body
    assert link_path(mail, "/mitglieder") == f"/organisationen/{town.slug}/mitglieder"
    assert mails_to(mailbox, "mod@example.org") == []


def test_without_an_approved_admin_the_moderators_decide(
    client, db, login, make_user, make_organisation, make_membership, mailbox
):
    organisation = make_organisation(name="Landkreis Ohne")
    make_membership(make_user(email="founder@example.org"), organisation, role=MembershipRole.ADMIN,
                    status=MembershipStatus.PENDING)
    make_user(site_role=SiteRole.MODERATOR, email="mod@example.org", locale="en")
    make_user(site_role=SiteRole.ADMIN, email="root@example.org")
    login(make_user())

    client.post(f"/organisationen/{organisation.slug}/beitreten", data={"message": ""})

    received = {message["To"] for message in mailbox.deliver()}
    assert received == {"mod@example.org", "root@example.org"}


def test_a_confirmed_address_at_the_domain_joins_at_once(client, db, login, make_user, town, mailbox):
    anna = make_user(name="Anna Amt", email="anna@beispielstadt.de", job_title="Citymanagerin")
    login(anna)

    response = client.post(f"/organisationen/{town.slug}/beitreten", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "automatisch verifiziert über die Domain beispielstadt.de" in page
    assert "Sie sind verifiziertes Mitglied dieser Organisation." in page
    assert "Anna Amt" in page and "Citymanagerin" in page
    joined = membership(db, anna, town)
    assert joined.status == MembershipStatus.APPROVED and joined.decided_by is None
    assert anna.is_verified
    assert mailbox.deliver() == []


@pytest.mark.parametrize("email", ["anna@amt.beispielstadt.de", "anna@beispielstadt.de.example.org"])
def test_only_the_exact_domain_verifies(client, db, login, make_user, town, email):
    user = make_user(email=email)
    login(user)
    client.post(f"/organisationen/{town.slug}/beitreten")
    assert membership(db, user, town).status == MembershipStatus.PENDING


def test_a_too_long_message_is_explained_and_kept(client, db, login, make_user, town):
    user = make_user()
    login(user)
    text = "Ich bin zuständig. " * 60

    response = client.post(f"/organisationen/{town.slug}/beitreten", data={"message": text})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="message-error">Bitte höchstens 1000 Zeichen eingeben.' in page
    assert text.strip() in page
    assert membership(db, user, town) is None


def test_approving_mails_the_requester_and_verifies_them(
    client, db, login, make_user, make_membership, town, mailbox
):
    requester = make_user(name="Rainer Antrag", email="rainer@example.org")
    request = make_membership(requester, town, status=MembershipStatus.PENDING)
    request.message = "Bitte aufnehmen"
    db.session.commit()
    admin = admin_of(town)
    login(admin)

    members_page = client.get(f"/organisationen/{town.slug}/mitglieder").get_data(as_text=True)
    assert "Rainer Antrag" in members_page and "rainer@example.org" in members_page
    assert "Bitte aufnehmen" in members_page

    response = client.post(f"/organisationen/{town.slug}/mitglieder/{request.id}", data={"action": "approve"},
                           follow_redirects=True)

    assert "Rainer Antrag ist jetzt verifiziertes Mitglied." in response.get_data(as_text=True)
    decided = membership(db, requester, town)
    assert decided.status == MembershipStatus.APPROVED and decided.decided_by == admin
    mail = only_mail_to(mailbox, "rainer@example.org")
    assert mail["Subject"] == "Sie sind jetzt Mitglied von Stadt Beispielstadt"
    assert "verifiziertes Mitglied" in mail.get_content()
    assert link_path(mail, "/organisationen/") == f"/organisationen/{town.slug}"
    profile = client.get(f"/organisationen/{town.slug}").get_data(as_text=True)
    assert "Rainer Antrag" in profile


def test_a_declined_requester_is_told_and_may_ask_again(
    client, db, login, switch_to, make_user, make_membership, town, mailbox
):
    requester = make_user(email="rainer@example.org")
    request = make_membership(requester, town, status=MembershipStatus.PENDING)
    login(admin_of(town))

    response = client.post(f"/organisationen/{town.slug}/mitglieder/{request.id}", data={"action": "decline"},
                           follow_redirects=True)

    assert "wurde abgelehnt" in response.get_data(as_text=True)
    assert membership(db, requester, town).status == MembershipStatus.DECLINED
    mail = only_mail_to(mailbox, "rainer@example.org")
    assert mail["Subject"] == "Ihre Anfrage bei Stadt Beispielstadt wurde abgelehnt"

    switch_to(requester)
    page = client.get(f"/organisationen/{town.slug}").get_data(as_text=True)
    assert "Ihre letzte Anfrage wurde abgelehnt." in page
    client.post(f"/organisationen/{town.slug}/beitreten", data={"message": "Zweiter Versuch"})
    again = membership(db, requester, town)
    assert again.id == request.id and again.status == MembershipStatus.PENDING
    assert again.message == "Zweiter Versuch" and again.decided_by is None


def test_a_decided_request_cannot_be_decided_again(client, db, login, make_user, make_membership, town):
    member = make_membership(make_user(), town)
    login(admin_of(town))
    response = client.post(f"/organisationen/{town.slug}/mitglieder/{member.id}", data={"action": "decline"},
                           follow_redirects=True)
    assert "Über diese Anfrage wurde bereits entschieden." in response.get_data(as_text=True)
    assert membership(db, member.user, town).status == MembershipStatus.APPROVED


def test_admins_change_roles_but_the_last_admin_stays(
    client, db, login, switch_to, make_user, make_membership, town
):
    olga = admin_of(town)
    member = make_membership(make_user(name="Max Mitglied"), town)
    own = membership(db, olga, town)
    login(olga)
    path = f"/organisationen/{town.slug}/mitglieder"

    refused = client.post(f"{path}/{own.id}", data={"action": "make_member"}, follow_redirects=True)
    assert "Sie sind die einzige Person, die diese Organisation verwaltet." in refused.get_data(as_text=True)
    assert membership(db, olga, town).is_admin

    promoted = client.post(f"{path}/{member.id}", data={"action": "make_admin"}, follow_redirects=True)
    assert "Max Mitglied verwaltet die Organisation jetzt mit." in promoted.get_data(as_text=True)
    client.post(f"{path}/{own.id}", data={"action": "make_member"})
    assert not membership(db, olga, town).is_admin and membership(db, member.user, town).is_admin


def test_a_moderator_may_demote_the_last_admin(client, db, login, make_user, town):
    olga = admin_of(town)
    own = membership(db, olga, town)
    login(make_user(site_role=SiteRole.MODERATOR))
    client.post(f"/organisationen/{town.slug}/mitglieder/{own.id}", data={"action": "make_member"})
    assert membership(db, olga, town).role == MembershipRole.MEMBER


def test_admins_remove_members(client, db, login, make_user, make_membership, town):
    max_mitglied = make_user(name="Max Mitglied")
    member = make_membership(max_mitglied, town)
    login(admin_of(town))
    page = client.get(f"/organisationen/{town.slug}/mitglieder").get_data(as_text=True)
    assert "Zur Administration machen" in page and "Max Mitglied" in page

    response = client.post(f"/organisationen/{town.slug}/mitglieder/{member.id}", data={"action": "remove"},
                           follow_redirects=True)

    assert "Max Mitglied wurde aus der Organisation entfernt." in response.get_data(as_text=True)
    assert membership(db, max_mitglied, town) is None


@pytest.mark.parametrize(
    ("status", "message"),
    [(MembershipStatus.APPROVED, "Sie haben Stadt Beispielstadt verlassen."),
     (MembershipStatus.PENDING, "Ihre Anfrage ist zurückgezogen.")],
)
def test_members_leave_and_requesters_withdraw(client, db, login, make_user, make_membership, town, status,
                                               message):
    user = make_user()
    make_membership(user, town, status=status)
    login(user)
    response = client.post(f"/organisationen/{town.slug}/verlassen", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert membership(db, user, town) is None


def test_the_last_admin_cannot_leave(client, db, login, town):
    olga = admin_of(town)
    login(olga)
    response = client.post(f"/organisationen/{town.slug}/verlassen", follow_redirects=True)
    assert "Ernennen Sie zuerst ein weiteres Mitglied zur Administration" in response.get_data(as_text=True)
    assert membership(db, olga, town).is_admin


def test_a_membership_of_another_organisation_is_not_found(
    client, login, make_user, make_organisation, make_membership, town
):
    elsewhere = make_membership(make_user(), make_organisation(), status=MembershipStatus.PENDING)
    login(admin_of(town))
    path = f"/organisationen/{town.slug}/mitglieder/{elsewhere.id}"
    response = client.post(path, data={"action": "approve"})
    assert response.status_code == 404


def test_an_unknown_action_is_a_bad_request(client, login, make_user, make_membership, town):
    member = make_membership(make_user(), town)
    login(admin_of(town))
    response = client.post(f"/organisationen/{town.slug}/mitglieder/{member.id}", data={"action": "promote"})
    assert response.status_code == 400 and "Ungültige Anfrage" in response.get_data(as_text=True)


def test_every_form_carries_the_csrf_token(app, client, login, make_user, make_membership, town):
    member = make_membership(make_user(), town, status=MembershipStatus.PENDING)
    login(admin_of(town))
    app.config["WTF_CSRF_ENABLED"] = True

    page = client.get(f"/organisationen/{town.slug}/mitglieder").get_data(as_text=True)
    forms = page.count("<form")
    assert forms >= 3 and page.count('name="csrf_token"') >= forms  # each form, plus the page's own

    response = client.post(f"/organisationen/{town.slug}/mitglieder/{member.id}", data={"action": "approve"})
    assert response.status_code == 400
    assert member.status == MembershipStatus.PENDING
