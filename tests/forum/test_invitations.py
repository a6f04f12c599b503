"""Invitations to working groups: moderators invite, the invitee accepts or declines; the only
way for a solution provider into a members-only group."""

from datetime import timedelta

import pytest

from stadtnetz.accounts.models import OrganisationType, SiteRole
from stadtnetz.database import utcnow
from stadtnetz.forum.models import GroupMembership, GroupMemberStatus
from tests.conftest import links_in


@pytest.fixture
def provider(make_user, make_organisation, make_membership):
    user = make_user(name="Sabine Wagner", email="wagner@leerstandslotse.example",
                     created_at=utcnow() - timedelta(days=30))
    make_membership(user, make_organisation(name="Leerstandslotse GmbH", type=OrganisationType.ANBIETER))
    return user


@pytest.fixture
def closed_group(make_user, make_group):
    moderator = make_user(name="Mara Moderation")
    group = make_group(name="Leerstandsbewältigung", visibility="members", moderators=[moderator])
    group.moderator = moderator
    return group


def _membership(db, group, user):
    db.session.expire_all()
    return db.session.get(GroupMembership, (group.id, user.id))


def test_provider_cannot_ask_to_join_and_the_page_says_why(client, db, login, provider, closed_group):
    login(provider)

    page = client.get(f"/arbeitsgruppen/{closed_group.slug}").text
    assert "Als Lösungsanbieter können Sie nicht um Aufnahme bitten" in page
    assert "Beitritt anfragen" not in page

    assert client.post(f"/arbeitsgruppen/{closed_group.slug}/beitreten").status_code == 403
    assert _membership(db, closed_group, provider) is None
    assert client.get(f"/arbeitsgruppen/{closed_group.slug}/neues-thema").status_code in (403, 404)


def test_invited_provider_accepts_by_mail_link_and_can_post(
    client, db, login, mailbox, provider, closed_group
):
    login(closed_group.moderator)
    found = client.get(
        f"/arbeitsgruppen/{closed_group.slug}/mitglieder", query_string={"suche": "leerstandslotse"}
    )
    assert "Sabine Wagner" in found.text
    response = client.post(
        f"/arbeitsgruppen/{closed_group.slug}/einladen/{provider.id}", follow_redirects=True
    )
    assert "Sabine Wagner ist eingeladen und erhält eine E-Mail." in response.text
    assert "Offene Einladungen" in response.text
    assert _membership(db, closed_group, provider).status == GroupMemberStatus.INVITED
    [mail] = mailbox.deliver()
    assert mail["To"] == provider.email
    assert mail["Subject"] == "Einladung in die Arbeitsgruppe Leerstandsbewältigung"
    link = f"http://localhost/arbeitsgruppen/{closed_group.slug}"
    assert link in links_in(mail)

    login(provider)
    page = client.get(f"/arbeitsgruppen/{closed_group.slug}").text
    assert "Die Moderation lädt Sie ein" in page
    assert "Die Themen dieser Arbeitsgruppe sehen nur ihre Mitglieder." in page
    response = client.post(
        f"/arbeitsgruppen/{closed_group.slug}/einladung", data={"action": "accept"}, follow_redirects=True
    )
    assert "Sie sind jetzt Mitglied der Arbeitsgruppe Leerstandsbewältigung." in response.text
    assert _membership(db, closed_group, provider).status == GroupMemberStatus.APPROVED

    response = client.post(
        f"/arbeitsgruppen/{closed_group.slug}/neues-thema",
        data={"title": "Erfahrungen mit Leerstandskatastern", "body": "Wir berichten gern."},
        follow_redirects=True,
    )
    assert "Erfahrungen mit Leerstandskatastern" in response.text and "Anbieter" in response.text


def test_invitee_declines_and_the_invitation_is_gone(client, db, login, make_user, closed_group):
    invitee = make_user(name="Paul Kämmerer")
    login(closed_group.moderator)
    client.post(f"/arbeitsgruppen/{closed_group.slug}/einladen/{invitee.id}")

    login(invitee)
    assert client.post(f"/arbeitsgruppen/{closed_group.slug}/verlassen").status_code == 403
    response = client.post(
        f"/arbeitsgruppen/{closed_group.slug}/einladung", data={"action": "decline"}, follow_redirects=True
    )
    assert "Sie haben die Einladung in die Arbeitsgruppe Leerstandsbewältigung abgelehnt." in response.text
    assert _membership(db, closed_group, invitee) is None
    again = client.post(f"/arbeitsgruppen/{closed_group.slug}/einladung", data={"action": "accept"})
    assert again.status_code == 403


def test_only_moderators_invite(client, db, login, make_user, make_group):
    member = make_user()
    group = make_group(visibility="members", members=[member], moderators=[make_user()])
    outsider = make_user(name="Olaf Außen")
    login(member)

    assert client.post(f"/arbeitsgruppen/{group.slug}/einladen/{outsider.id}").status_code == 403
    assert client.get(f"/arbeitsgruppen/{group.slug}/mitglieder").status_code == 403
    assert _membership(db, group, outsider) is None

    login(make_user(site_role=SiteRole.MODERATOR))
    client.post(f"/arbeitsgruppen/{group.slug}/einladen/{outsider.id}")
    assert _membership(db, group, outsider).status == GroupMemberStatus.INVITED


def test_invitations_are_once_only_and_need_a_confirmed_account(client, db, login, make_user, closed_group):
    invitee = make_user(name="Ines Einmal")
    unconfirmed = make_user(name="Uwe Unbestätigt", confirmed=False)
    applicant = make_user(name="Anna Anfrage")
    db.session.add(GroupMembership(group=closed_group, user=applicant, status=GroupMemberStatus.PENDING))
    db.session.commit()
    login(closed_group.moderator)
    invite = f"/arbeitsgruppen/{closed_group.slug}/einladen/"

    client.post(invite + str(invitee.id))
    again = client.post(invite + str(invitee.id), follow_redirects=True)
    assert "Diese Person ist bereits eingeladen." in again.text
    member = client.post(invite + str(closed_group.moderator.id), follow_redirects=True)
    assert "Diese Person ist bereits Mitglied." in member.text
    pending = client.post(invite + str(applicant.id), follow_redirects=True)
    assert "Diese Person hat schon um Aufnahme gebeten." in pending.text
    nobody = client.post(invite + str(unconfirmed.id), follow_redirects=True)
    assert "hat ihre E-Mail-Adresse noch nicht bestätigt" in nobody.text
    assert _membership(db, closed_group, unconfirmed) is None

    found = client.get(f"/arbeitsgruppen/{closed_group.slug}/mitglieder", query_string={"suche": "u"})
    assert "Bitte geben Sie mindestens zwei Zeichen ein." in found.text
    found = client.get(f"/arbeitsgruppen/{closed_group.slug}/mitglieder", query_string={"suche": "Un"})
    assert "Uwe Unbestätigt" not in found.text.split("Offene Einladungen")[0]


def test_moderator_withdraws_an_invitation(client, db, login, make_user, closed_group):
    invitee = make_user()
    login(closed_group.moderator)
    client.post(f"/arbeitsgruppen/{closed_group.slug}/einladen/{invitee.id}")

    client.post(
        f"/arbeitsgruppen/{closed_group.slug}/mitglieder/{invitee.id}", data={"action": "withdraw_invitation"}
    )

    assert _membership(db, closed_group, invitee) is None
