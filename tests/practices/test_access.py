"""The access matrix of the practice pages: every URL walked by every role, for a draft and a
published practice. Anonymous visitors are sent to the login page from private pages; a draft
does not exist (404) for anyone but its organisation's verified members and the moderators."""

import pytest

ROLES = ("anonymous", "unverified", "pending", "outsider", "member", "moderator")
EVERYONE = frozenset(ROLES)
WRITERS = frozenset({"member", "moderator"})

# (method, url template, practice state, roles allowed, status when allowed, status for the others)
MATRIX = [
    ("GET", "/praxisbeispiele/{id}-{slug}", "published", EVERYONE, 200, None),
    ("GET", "/praxisbeispiele/{id}-{slug}", "draft", WRITERS, 200, 404),
    ("GET", "/praxisbeispiele/{id}-{slug}", "archived", EVERYONE, 200, None),
    ("GET", "/praxisbeispiele/{id}/versionen", "published", EVERYONE, 200, None),
    ("GET", "/praxisbeispiele/{id}/versionen", "draft", WRITERS, 200, 404),
    ("GET", "/praxisbeispiele/{id}/versionen/1", "published", EVERYONE, 200, None),
    ("GET", "/praxisbeispiele/{id}/bearbeiten", "published", WRITERS, 200, 403),
    ("GET", "/praxisbeispiele/{id}/bearbeiten", "draft", WRITERS, 200, 404),
    ("POST", "/praxisbeispiele/{id}/veroeffentlichen", "draft", WRITERS, 302, 404),
    ("POST", "/praxisbeispiele/{id}/archivieren", "published", WRITERS, 302, 403),
    ("POST", "/praxisbeispiele/{id}/fortschreibung", "published", WRITERS, 200, 403),
    ("POST", "/praxisbeispiele/{id}/anhaenge", "published", WRITERS, 200, 403),
    ("POST", "/praxisbeispiele/{id}/uebernahme", "published", {"outsider"}, 200, 403),
    ("GET", "/praxisbeispiele/neu", None, {"member", "outsider"}, 200, 403),
    ("GET", "/praxisbeispiele/kommunen-wie-wir", None, EVERYONE - {"anonymous"}, 200, None),
    ("GET", "/praxisbeispiele", None, EVERYONE, 200, None),
]
CASES = [(role, *row) for row in MATRIX for role in ROLES]


@pytest.mark.parametrize(("role", "method", "url", "state", "allowed", "ok", "denied"), CASES,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_access_matrix(client, login, world, make_practice, role, method, url, state, allowed, ok, denied):
    practice = make_practice(organisation=world.home, author=world.member, state=state) if state else None
    if role != "anonymous":
        login(world.users[role])
    if practice:
        url = url.format(id=practice.id, slug=practice.slug)
    response = client.open(url, method=method, data={})
    private = method == "POST" or url.endswith(("/bearbeiten", "/neu", "/kommunen-wie-wir"))
    if role == "anonymous" and private:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/anmelden?next=")
    elif role in allowed:
        assert response.status_code == ok
    else:
        assert response.status_code == denied
        # The German error page, never a trace of the draft's content.
        if practice:
            assert practice.title not in response.get_data(as_text=True)
