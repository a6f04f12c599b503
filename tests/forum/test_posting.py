"""Threads and posts: Markdown with preview, replies and quotes, editing with history, the
"Anbieter" label, unread tracking, the brake on new accounts, and a constant query count."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import OrganisationType
from stadtnetz.database import utcnow
from stadtnetz.errors import Invalid
from stadtnetz.forum import posting
from stadtnetz.forum.models import Post, Thread


@pytest.fixture
def veteran(make_user):
    """A factory for users whose accounts are old enough to post freely."""
    return lambda **kw: make_user(created_at=utcnow() - timedelta(days=30), **kw)


def test_new_thread_preview_then_publish(client, db, login, veteran, make_group):
    author = veteran(name="Julia Becker")
    group = make_group(members=[author])
    login(author)
    data = {"title": "Pop-up-Stores", "body": "Wer hat **Erfahrung**?\n\n<script>alert(1)</script>"}

    preview = client.post(f"/arbeitsgruppen/{group.slug}/neues-thema", data={**data, "preview": "1"})
    assert "<strong>Erfahrung</strong>" in preview.text and "<script>alert" not in preview.text
    assert 'value="Pop-up-Stores"' in preview.text  # the form comes back as written
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0

    page = client.post(
        f"/arbeitsgruppen/{group.slug}/neues-thema", data={**data, "save": "1"}, follow_redirects=True
    )
    thread = db.session.scalar(sa.select(Thread))
    assert thread.title == "Pop-up-Stores" and thread.post_count == 1
    assert "<h1>Pop-up-Stores</h1>" in page.text and "<strong>Erfahrung</strong>" in page.text
    post = db.session.scalar(sa.select(Post))
    assert post.body.startswith("Wer hat **Erfahrung**?") and "<script>" not in post.html


def test_reply_quoting_a_post_carries_attribution(client, db, login, veteran, make_group, make_thread):
    julia, tobias = veteran(name="Julia Becker"), veteran(name="Tobias Schulte")
    thread = make_thread(
        group=make_group(members=[julia, tobias]), author=julia, body="Zeile eins\n\nZeile zwei"
    )
    first = db.session.scalar(sa.select(Post))
    login(tobias)

    form = client.get(f"/forum/themen/{thread.id}/antworten?zitat={first.id}").text
    assert "&gt; **Julia Becker schrieb**" in form and "&gt; Zeile zwei" in form

    body = posting.quote(first) + "Bei uns ähnlich."
    response = client.post(
        f"/forum/themen/{thread.id}/antworten", data={"body": body, "reply_to": str(first.id), "save": "1"}
    )
    reply = db.session.scalar(sa.select(Post).order_by(Post.id.desc()))
    assert response.headers["Location"].endswith(f"#beitrag-{reply.id}")
    assert reply.reply_to_id == first.id
    assert "<blockquote>" in reply.html and "Julia Becker schrieb" in reply.html
    assert f'/forum/beitraege/{first.id}"' in reply.html


def test_edit_keeps_history_and_shows_bearbeitet(client, db, login, veteran, make_group, make_thread):
    author, other = veteran(), veteran()
    thread = make_thread(group=make_group(members=[author, other]), author=author, body="Erste Fassung")
    post = db.session.scalar(sa.select(Post))
    login(other)
    assert (
        client.post(f"/forum/beitraege/{post.id}/bearbeiten", data={"body": "Übernommen"}).status_code == 403
    )

    login(author)
    client.post(f"/forum/beitraege/{post.id}/bearbeiten", data={"body": "Zweite Fassung", "save": "1"})

    page = client.get(f"/forum/themen/{thread.id}").text
    assert "Zweite Fassung" in page and f'href="/forum/beitraege/{post.id}/versionen">bearbeitet' in page
    history = client.get(f"/forum/beitraege/{post.id}/versionen").text
    assert "Erste Fassung" in history and "Zweite Fassung" in history


def test_posts_by_solution_providers_carry_the_label(
    client, veteran, make_group, make_thread, make_post, make_organisation, make_membership
):
    provider = veteran(name="Sabine Wagner")
    make_membership(provider, make_organisation(name="Leerstandslotse GmbH", type=OrganisationType.ANBIETER))
    clerk = veteran(name="Tobias Schulte")
    make_membership(clerk, make_organisation(type=OrganisationType.KOMMUNE))
    thread = make_thread(group=make_group(), author=clerk)
    make_post(thread, provider, "Unsere Software hilft.")

    page = client.get(f"/forum/themen/{thread.id}").text

    assert page.count(">Anbieter</span>") == 1
    provider_head = page[page.index("Sabine Wagner") : page.index("Unsere Software hilft.")]
    assert "Anbieter" in provider_head


def test_unread_posts_are_counted_and_the_link_jumps_to_the_first(
    client, db, login, veteran, make_group, make_thread, make_post
):
    reader, writer = veteran(), veteran()
    group = make_group(members=[reader, writer])
    thread = make_thread(group=group, author=writer)
    login(reader)
    client.get(f"/forum/themen/{thread.id}")
    assert "neue Beiträge" not in client.get(f"/arbeitsgruppen/{group.slug}").text

    first_new = make_post(thread, writer, "Neu eins")
    make_post(thread, writer, "Neu zwei")

    listing = client.get(f"/arbeitsgruppen/{group.slug}").text
    assert "2 neue Beiträge" in listing and f"/forum/themen/{thread.id}/ungelesen" in listing
    jump = client.get(f"/forum/themen/{thread.id}/ungelesen")
    assert jump.headers["Location"] == f"/forum/themen/{thread.id}#beitrag-{first_new.id}"
    page = client.get(f"/forum/themen/{thread.id}").text
    assert page.count(">neu</span>") == 2
    assert "neue Beiträge" not in client.get(f"/arbeitsgruppen/{group.slug}").text


def test_mentions_become_profile_links(veteran, make_group, make_thread, db):
    named = veteran(name="Katrin Richter")
    thread = make_thread(body="Frage an @[Katrin Richter] und @[Niemand Bekannt]")
    post = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    assert f'<a href="/personen/{named.id}" rel="nofollow ugc noopener">@Katrin Richter</a>' in post.html
    assert "@[Niemand Bekannt]" in post.html


def test_new_accounts_are_braked(db, make_user, make_group, make_thread):
    newcomer = make_user()
    group = make_group(members=[newcomer])
    thread = make_thread(group=group)
    for n in range(posting.NEW_ACCOUNT_POSTS_PER_HOUR):
        posting.reply(newcomer, thread, f"Beitrag {n}")
    with pytest.raises(Invalid) as error:
        posting.reply(newcomer, thread, "Einer zu viel")
    assert "Neue Konten können in den ersten 3 Tagen höchstens 5 Beiträge pro Stunde schreiben" in str(
        error.value.message
    )


def test_the_brake_is_shown_on_the_form(client, db, login, make_user, make_group, make_thread):
    newcomer = make_user()
    thread = make_thread(group=make_group(members=[newcomer]))
    for n in range(posting.NEW_ACCOUNT_POSTS_PER_HOUR):
        posting.reply(newcomer, thread, f"Beitrag {n}")
    db.session.commit()
    login(newcomer)

    page = client.post(f"/forum/themen/{thread.id}/antworten", data={"body": "Noch einer", "save": "1"})

    assert page.status_code == 200 and "höchstens 5 Beiträge pro Stunde" in page.text


def test_thread_page_query_count_does_not_grow_with_the_page(
    app,
    client,
    db,
    login,
    veteran,
    make_group,
    make_thread,
    make_post,
    make_organisation,
    make_membership,
    count_queries,
):
    reader = veteran()
    group = make_group(members=[reader])

    def thread_with(posts: int) -> Thread:
        thread = make_thread(group=group)
        for n in range(posts - 1):
            author = veteran()
            make_membership(author, make_organisation())
            make_post(thread, author, f"Beitrag {n}")
        return thread

    small, full = thread_with(2), thread_with(posting.PER_PAGE)
    login(reader)
    counts = []
    for thread in (small, full):  # both first visits, each storing a new read mark
        with count_queries() as statements:
            page = client.get(f"/forum/themen/{thread.id}")
        assert page.status_code == 200
        counts.append(len(statements))
    assert (
        len(re.findall(r'id="beitrag-\d+"', client.get(f"/forum/themen/{full.id}").text)) == posting.PER_PAGE
    )
    assert counts[0] == counts[1] <= 20, counts


def test_group_page_query_count_does_not_grow_with_the_page(client, login, veteran, make_group, make_thread,
                                                            count_queries):
    reader = veteran()
    small, full = make_group(members=[reader]), make_group(members=[reader])
    make_thread(group=small)
    for _ in range(posting.PER_PAGE):
        make_thread(group=full, author=veteran())
    login(reader)
    counts = []
    for group in (small, full):
        with count_queries() as statements:
            page = client.get(f"/arbeitsgruppen/{group.slug}")
        assert page.text.count('class="unread-link"') == (1 if group is small else posting.PER_PAGE)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 15, counts
