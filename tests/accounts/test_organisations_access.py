"""The access matrix of the organisation and moderation pages: every URL and method, walked by
every role. Anonymous visitors are sent to the login page, the forbidden get the German 403
page, the allowed get their page or their change."""

from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organisation,
    OrganisationDomain,
    SiteRole,
    User,
)

ROLES = ("anonymous", "unconfirmed", "confirmed", "pending", "member", "org_admin", "other_admin",
         "moderator", "admin")
EVERYONE = frozenset(ROLES)
CONFIRMED = EVERYONE - {"anonymous", "unconfirmed"}
MANAGERS = frozenset({"org_admin", "moderator", "admin"})
MODERATORS = frozenset({"moderator", "admin"})
OUTSIDERS = frozenset({"confirmed", "other_admin", "moderator", "admin"})


@pytest.fixture
def world(db, make_user, make_organisation, make_membership, make_municipality):
    """One organisation with a person in every role, a pending request and a domain."""
    organisation = make_organisation(name="Stadt Beispielstadt",
                                     municipality=make_municipality(name="Beispielstadt"))
    other = make_organisation(name="Stadt Anderswo")
    users = {
        "unconfirmed": make_user(confirmed=False), "confirmed": make_user(), "pending": make_user(),
        "member": make_user(), "org_admin": make_user(), "other_admin": make_user(),
        "moderator": make_user(site_role=SiteRole.MODERATOR), "admin": make_user(site_role=SiteRole.ADMIN),
    }
    make_membership(users["pending"], organisation, status=MembershipStatus.PENDING)
    make_membership(users["member"], organisation)
    make_membership(users["org_admin"], organisation, role=MembershipRole.ADMIN)
    make_membership(users["other_admin"], other, role=MembershipRole.ADMIN)
    # A second admin, so that the first may leave without orphaning the organisation.
    make_membership(make_user(), organisation, role=MembershipRole.ADMIN)
    request = make_membership(make_user(name="Rita Antrag"), organisation, status=MembershipStatus.PENDING)
    domain = OrganisationDomain(organisation=organisation, domain="beispielstadt.example")
    db.session.add(domain)
    db.session.commit()
    return SimpleNamespace(organisation=organisation, users=users, request=request, domain_id=domain.id,
                           target=make_user(name="Tom Ziel"))


def _membership(db, user, organisation) -> Membership | None:
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id,
                                                         Membership.organisation_id == organisation.id))


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    allowed: frozenset
    login_required: bool = True
    data: dict = field(default_factory=dict)
    shows: str = ""
    effect: object = None  # (world, db, actor) → bool

    def url(self, world) -> str:
        return self.path.format(slug=world.organisation.slug, request=world.request.id,
                                domain=world.domain_id, target=world.target.id)

    def form(self, world) -> dict:
        ags = world.organisation.municipality.ags
        return {name: value.format(ags=ags) for name, value in self.data.items()}


CASES = [
    Case("GET", "/organisationen", EVERYONE, login_required=False, shows="Stadt Beispielstadt"),
    Case("GET", "/organisationen/{slug}", EVERYONE, login_required=False, shows="Verifizierte Mitglieder"),
    Case("GET", "/organisationen/neu", CONFIRMED, shows="Organisation anlegen"),
    Case("POST", "/organisationen/neu", CONFIRMED, data={"name": "Neuer Verband", "type": "wirtschaft"},
         effect=lambda w, db, actor: db.session.scalar(
             sa.select(Organisation).where(Organisation.name == "Neuer Verband")) is not None),
    Case("GET", "/organisationen/{slug}/bearbeiten", MANAGERS, shows="Beschreibung"),
    Case("POST", "/organisationen/{slug}/bearbeiten", MANAGERS,
         data={"name": "Stadt Beispielstadt", "type": "kommune", "municipality": "{ags}",
               "description": "Neu"},
         effect=lambda w, db, actor: w.organisation.description == "Neu"),
    Case("POST", "/organisationen/{slug}/beitreten", OUTSIDERS, data={"message": "Hallo"},
         effect=lambda w, db, actor: _membership(db, actor, w.organisation).status == "pending"),
    Case("POST", "/organisationen/{slug}/verlassen", frozenset({"pending", "member", "org_admin"}),
         effect=lambda w, db, actor: _membership(db, actor, w.organisation) is None),
    Case("GET", "/organisationen/{slug}/mitglieder", MANAGERS, shows="Rita Antrag"),
    Case("POST", "/organisationen/{slug}/mitglieder/{request}", MANAGERS, data={"action": "approve"},
         effect=lambda w, db, actor: w.request.status == "approved"),
    Case("GET", "/organisationen/{slug}/domains", MODERATORS, shows="beispielstadt.example"),
    Case("POST", "/organisationen/{slug}/domains", MODERATORS, data={"domain": "neu.example"},
         effect=lambda w, db, actor: "neu.example" in [d.domain for d in w.organisation.domains]),
    Case("POST", "/organisationen/{slug}/domains/{domain}/entfernen", MODERATORS,
         effect=lambda w, db, actor: db.session.get(OrganisationDomain, w.domain_id) is None),
    Case("GET", "/moderation", MODERATORS, shows="Offene Beitrittsanfragen"),
    Case("POST", "/moderation/benutzer/{target}/rolle", frozenset({"admin"}), data={"role": "moderator"},
         effect=lambda w, db, actor: db.session.get(User, w.target.id).site_role == SiteRole.MODERATOR),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_access(case, role, world, client, login, db):
    actor = world.users.get(role)
    if actor is not None:
        login(actor)
    url = case.url(world)
    response = client.open(url, method=case.method, data=case.form(world))
    page = response.get_data(as_text=True)

    if role == "anonymous" and case.login_required:
        assert response.status_code == 302
        assert urlsplit(response.location).path == "/anmelden"
    elif role not in case.allowed:
        assert response.status_code == 403
        assert "Zugriff verweigert" in page
    elif case.method == "GET":
        assert response.status_code == 200
        assert case.shows in page
    else:
        assert response.status_code == 302, page
        db.session.expire_all()
        assert case.effect(world, db, actor)
