"""Working groups: creating, joining public groups, requesting to join members-only ones and
their approval by group moderators, roles, and leaving."""

import sqlalchemy as sa

from stadtnetz.accounts.models import SiteRole
from stadtnetz.forum.models import GroupMembership, GroupMemberStatus, GroupRole, WorkingGroup
from tests.conftest import links_in


def _membership(db, group, user):
    db.session.expire_all()
    return db.session.get(GroupMembership, (group.id, user.id))


def test_site_moderator_creates_a_group_and_moderates_it(client, db, login, make_user):
    moderator = make_user(site_role=SiteRole.MODERATOR)
    login(moderator)

    response = client.post(
        "/arbeitsgruppen/neu",
        data={
            "name": "Leerstandsbewältigung",
            "description": "Leere Läden füllen.",
            "visibility": "members",
        },
        follow_redirects=True,
    )

    group = db.session.scalar(sa.select(WorkingGroup))
    assert group.slug == "leerstandsbewaeltigung" and not group.is_public
    assert "Die Arbeitsgruppe Leerstandsbewältigung ist angelegt." in response.text
    assert _membership(db, group, moderator).role == GroupRole.MODERATOR


def test_a_member_may_not_create_groups_and_names_are_unique(client, db, login, make_user, make_group):
    make_group(name="Mobilität", slug="mobilitaet")
    login(make_user())
    assert client.post("/arbeitsgruppen/neu", data={"name": "X"}).status_code == 403

    login(make_user(site_role=SiteRole.ADMIN))
    response = client.post("/arbeitsgruppen/neu", data={"name": "Mobilität", "visibility": "public"})
    assert "Es gibt schon eine Arbeitsgruppe mit diesem Namen." in response.text


def test_joining_a_public_group_is_immediate_and_leaving_works(client, db, login, make_user, make_group):
    group = make_group(name="Klimaanpassung", moderators=[make_user()])
    user = make_user()
    login(user)

    response = client.post(f"/arbeitsgruppen/{group.slug}/beitreten", follow_redirects=True)
    assert "Sie sind jetzt Mitglied der Arbeitsgruppe Klimaanpassung." in response.text
    assert _membership(db, group, user).status == GroupMemberStatus.APPROVED

    response = client.post(f"/arbeitsgruppen/{group.slug}/verlassen", follow_redirects=True)
    assert "Sie haben die Arbeitsgruppe Klimaanpassung verlassen." in response.text
    assert _membership(db, group, user) is None


def test_members_only_group_request_is_decided_by_group_moderators(
    client, db, login, mailbox, make_user, make_group
):
    moderator = make_user(name="Mara Moderation")
    group = make_group(name="Förderung & Finanzierung", visibility="members", moderators=[moderator])
    applicant = make_user(name="Paul Anfrage")
    login(applicant)

    response = client.post(
        f"/arbeitsgruppen/{group.slug}/beitreten",
        data={"message": "Ich bin Fördermittelmanager."},
        follow_redirects=True,
    )
    assert "Ihre Anfrage ist gesendet." in response.text
    assert "Die Themen dieser Arbeitsgruppe sehen nur ihre Mitglieder." in response.text
    assert client.get(f"/arbeitsgruppen/{group.slug}/mitglieder").status_code == 403
    [request_mail] = mailbox.deliver()
    assert request_mail["To"] == moderator.email
    assert request_mail["Subject"] == "Beitrittsanfrage für die Arbeitsgruppe Förderung & Finanzierung"
    assert "Ich bin Fördermittelmanager." in request_mail.get_content()
    assert f"http://localhost/arbeitsgruppen/{group.slug}/mitglieder" in links_in(request_mail)
    mailbox.clear()

    login(moderator)
    members_page = client.get(f"/arbeitsgruppen/{group.slug}/mitglieder")
    assert "Paul Anfrage" in members_page.text and "Ich bin Fördermittelmanager." in members_page.text
    client.post(f"/arbeitsgruppen/{group.slug}/mitglieder/{applicant.id}", data={"action": "approve"})
    assert _membership(db, group, applicant).status == GroupMemberStatus.APPROVED
    [decision] = mailbox.deliver()
    assert (
        decision["To"] == applicant.email
        and "Sie sind jetzt Mitglied der Arbeitsgruppe" in decision.get_content()
    )

    client.post(f"/arbeitsgruppen/{group.slug}/mitglieder/{applicant.id}", data={"action": "make_moderator"})
    assert _membership(db, group, applicant).role == GroupRole.MODERATOR


def test_declined_request_is_removed(client, db, login, make_user, make_group):
    moderator = make_user()
    group = make_group(visibility="members", moderators=[moderator])
    applicant = make_user()
    db.session.add(GroupMembership(group=group, user=applicant, status=GroupMemberStatus.PENDING))
    db.session.commit()
    login(moderator)

    client.post(f"/arbeitsgruppen/{group.slug}/mitglieder/{applicant.id}", data={"action": "decline"})

    assert _membership(db, group, applicant) is None


def test_the_last_moderator_cannot_leave(client, db, login, make_user, make_group):
    moderator = make_user()
    group = make_group(moderators=[moderator])
    login(moderator)

    response = client.post(f"/arbeitsgruppen/{group.slug}/verlassen", follow_redirects=True)

    assert "Sie sind die einzige Moderation dieser Arbeitsgruppe." in response.text
    assert _membership(db, group, moderator) is not None


def test_group_list_shows_every_group_with_visibility(client, make_group):
    make_group(name="Digitalisierung")
    make_group(name="Geheimrunde", visibility="members", description="Nur für Mitglieder.")

    page = client.get("/arbeitsgruppen").text

    assert "Digitalisierung" in page and "Geheimrunde" in page and "Nur für Mitglieder" in page
