"""Cached renderings of thread pages and group pages (``forum/fragments.py``): every change
shows at once, no viewer sees another viewer's own parts, and members-only content never goes
to outsiders."""

import re

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import MembershipStatus, OrganisationType, SiteRole
from stadtnetz.accounts.services import delete_account
from stadtnetz.forum import moderation, posting
from stadtnetz.forum.models import Post
from tests.conftest import PASSWORD


@pytest.fixture
def scene(db, veteran, make_group, make_thread, make_post):
    """A public group with a moderator, two members, a thread and a reply."""
    moderator, anna = veteran(name="Mo Moderation"), veteran(name="Anna Autorin")
    bernd = veteran(name="Bernd Leser")
    group = make_group(name="Klimaanpassung", moderators=[moderator], members=[anna, bernd])
    thread = make_thread(group=group, author=anna, title="Hitzeaktionspläne", body="Wer hat einen Plan?")
    make_post(thread, bernd, "Wir haben einen seit 2024.")
    return moderator, anna, bernd, group, thread


def _page(client, thread) -> str:
    return client.get(f"/forum/themen/{thread.id}").text


def _posts(db, thread) -> list[Post]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.number)))


def test_every_change_to_the_posts_shows_on_a_cached_page(client, db, login, scene, make_post):
    moderator, anna, bernd, _group, thread = scene
    login(bernd)
    assert "Wir haben einen seit 2024." in _page(client, thread)

    make_post(thread, anna, "Danke, Bernd!")  # a reply
    assert "Danke, Bernd!" in _page(client, thread)

    first, second, third = _posts(db, thread)
    posting.edit_post(anna, first, "Wer hat einen Hitzeaktionsplan?")  # an edit
    db.session.commit()
    page = _page(client, thread)
    assert "Wer hat einen Hitzeaktionsplan?" in page and ">bearbeitet</a>" in page

    moderation.hide_post(moderator, db.session.get(Post, second.id), "Off-Topic")  # hiding
    db.session.commit()
    page = _page(client, thread)
    assert "Wir haben einen seit 2024." not in page
    assert "Dieser Beitrag wurde von der Moderation ausgeblendet." in page

    moderation.delete_post(moderator, db.session.get(Post, third.id), "Doppelt")  # deleting
    db.session.commit()
    assert "Dieser Beitrag wurde gelöscht. Grund: Doppelt" in _page(client, thread)


def test_renaming_and_the_provider_label_and_deleted_accounts_show(
    client, db, scene, make_organisation, make_membership
):
    _moderator, anna, bernd, group, thread = scene
    assert "Bernd Leser" in _page(client, thread)
    assert "Anna Autorin" in client.get(f"/arbeitsgruppen/{group.slug}").text

    anna.name = "Anna Neuname"
    db.session.commit()
    assert "Anna Neuname" in _page(client, thread) and "Anna Autorin" not in _page(client, thread)
    assert "Anna Neuname" in client.get(f"/arbeitsgruppen/{group.slug}").text

    provider = make_organisation(name="Klimabüro GmbH", type=OrganisationType.ANBIETER)
    membership = make_membership(bernd, provider, status=MembershipStatus.PENDING)
    assert ">Anbieter</span>" not in _page(client, thread)
    membership.status = MembershipStatus.APPROVED
    db.session.commit()
    assert _page(client, thread).count(">Anbieter</span>") == 1

    delete_account(db.session.get(type(bernd), bernd.id), PASSWORD, delete_content=False)
    db.session.commit()
    page = _page(client, thread)
    assert "Bernd Leser" not in page and "gelöschtes Konto" in page


def test_every_change_to_the_thread_list_shows_on_a_cached_group_page(
    client, db, login, scene, make_group, make_thread, make_post
):
    moderator, anna, bernd, group, thread = scene
    listing = f"/arbeitsgruppen/{group.slug}"
    assert "2 Beiträge" in client.get(listing).text

    make_post(thread, bernd, "Noch ein Gedanke.")
    assert "3 Beiträge" in client.get(listing).text
    other = make_thread(group=group, author=bernd, title="Schwammstadt")
    assert "Schwammstadt" in client.get(listing).text

    posting.edit_thread(anna, db.session.get(type(thread), thread.id), "Hitzeschutz", [])
    db.session.commit()
    assert "Hitzeschutz" in client.get(listing).text
    moderation.switch_thread(moderator, db.session.get(type(thread), thread.id), "lock")
    db.session.commit()
    assert "geschlossen" in client.get(listing).text

    target = make_group(name="Mobilität", moderators=[moderator])
    assert "Schwammstadt" not in client.get(f"/arbeitsgruppen/{target.slug}").text
    moderation.move_thread(moderator, db.session.get(type(other), other.id), target, "passt besser")
    db.session.commit()
    assert "Schwammstadt" not in client.get(listing).text
    assert "Schwammstadt" in client.get(f"/arbeitsgruppen/{target.slug}").text


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_no_viewer_sees_another_viewers_own_parts(client, db, login, scene, app):
    moderator, anna, bernd, _group, thread = scene
    first_id, second_id = (p.id for p in _posts(db, thread))
    edit_first = f"/forum/beitraege/{first_id}/bearbeiten"
    edit_second = f"/forum/beitraege/{second_id}/bearbeiten"
    flag_first, flag_second = f"/forum/beitraege/{first_id}/melden", f"/forum/beitraege/{second_id}/melden"

    # Warms the moderators' rendering in a session of its own; moderators may edit every post.
    other_session = app.test_client()
    other_session.post("/anmelden", data={"email": moderator.email, "password": PASSWORD})
    page = _page(other_session, thread)
    assert edit_first in page and edit_second in page and 'value="hide"' in page
    moderator_tokens = _tokens(page)
    login(moderator)
    assert not moderator_tokens & _tokens(_page(client, thread))  # each session its own token

    login(anna)
    page = _page(client, thread)
    assert edit_first in page and edit_second not in page
    assert flag_second in page and flag_first not in page
    assert 'value="hide"' not in page and "moderate-form" not in page

    login(bernd)  # the rendering Anna warmed, with Bernd's parts
    page = _page(client, thread)
    assert edit_second in page and edit_first not in page
    assert flag_first in page and flag_second not in page

    client.post("/abmelden")
    page = _page(client, thread)
    assert "bearbeiten" not in page and "/melden" not in page and "badge-new" not in page
    assert "Wir haben einen seit 2024." in page


def test_the_new_badge_follows_each_readers_own_read_mark(client, db, login, scene, make_post):
    moderator, anna, bernd, group, thread = scene
    login(bernd)
    _page(client, thread)  # Bernd has read everything
    make_post(thread, anna, "Eine Neuigkeit.")

    login(moderator)
    assert _page(client, thread).count("badge-new") == 3  # never read: every post is new
    login(bernd)
    page = _page(client, thread)
    assert page.count("badge-new") == 1
    assert page.index("badge-new") > page.index("Wir haben einen seit 2024.")
    assert "1 neuer Beitrag" not in client.get(f"/arbeitsgruppen/{group.slug}").text


def test_members_only_content_never_reaches_outsiders_from_the_cache(
    client, db, login, veteran, make_group, make_thread
):
    member = veteran(name="Mia Mitglied")
    group = make_group(name="Geheimrunde", visibility="members", members=[member])
    thread = make_thread(group=group, author=member, title="Interne Haushaltszahlen", body="Nur für uns.")
    login(member)
    assert "Nur für uns." in _page(client, thread)
    assert "Interne Haushaltszahlen" in client.get(f"/arbeitsgruppen/{group.slug}").text

    login(veteran(name="Otto Außen"))
    assert client.get(f"/forum/themen/{thread.id}").status_code == 404
    assert "Interne Haushaltszahlen" not in client.get(f"/arbeitsgruppen/{group.slug}").text
    client.post("/abmelden")
    assert client.get(f"/forum/themen/{thread.id}").status_code == 404
    assert "Interne Haushaltszahlen" not in client.get(f"/arbeitsgruppen/{group.slug}").text

    login(veteran(site_role=SiteRole.MODERATOR))
    assert "Nur für uns." in _page(client, thread)


def test_markers_in_user_text_stay_text(client, login, scene, make_post):
    moderator, anna, _bernd, _group, thread = scene
    make_post(thread, anna, "Siehe <!--§csrf 0--> und `<!--§actions 1-->`")
    login(moderator)

    page = _page(client, thread)

    # bleach dropped the comment and escaped the code: nothing was filled in.
    assert "<p>Siehe  und <code>&lt;!--§actions 1--&gt;</code></p>" in page


def test_the_cached_forms_carry_each_sessions_token_and_own_watch_level(client, app, login, scene):
    _moderator, anna, bernd, _group, thread = scene
    login(anna)
    client.post(f"/forum/themen/{thread.id}/beobachten", data={"level": "muted"})
    anna_page = _page(client, thread)

    other_session = app.test_client()
    other_session.post("/anmelden", data={"email": bernd.email, "password": PASSWORD})
    bernd_page = _page(other_session, thread)

    assert len(_tokens(anna_page)) == 1 and len(_tokens(bernd_page)) == 1
    assert _tokens(anna_page) != _tokens(bernd_page)
    assert '<option selected value="muted">' in anna_page
    assert '<option selected value="muted">' not in bernd_page and "Antwort veröffentlichen" in bernd_page
    client.post("/abmelden")
    anonymous = _page(client, thread)
    assert "Melden Sie sich an, um zu antworten." in anonymous
    assert "Antwort veröffentlichen" not in anonymous and "watch-form" not in anonymous
