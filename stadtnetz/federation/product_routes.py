"""The pages through which people use federation: follow remote organisations and groups, read
their content (the feed, a remote practice, webtalk or thread) and reply to remote threads. Our
users' replies are also served here as ActivityPub ``Note``s, so that the origin group and its
followers can fetch them."""

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..errors import Invalid, NotFound
from ..extensions import db
from ..web import acting_user, page_section, show_invalid
from . import bp, delivery, processing  # noqa: F401  (processing registers the inbox worker)
from .following import follow_remote, followings_of, unfollow_remote
from .follows import Following, FollowState
from .objects import object_uri
from .remote_actors import RemoteActor
from .remote_content import FederatedPost, RemoteLike, RemotePost, RemotePractice, RemoteThread, RemoteWebtalk
from .remote_objects import reply_note, reply_to_remote_thread

FEED_LENGTH = 50
FILL_IN = _l("Bitte füllen Sie dieses Feld aus.")


def _at_most(length: int) -> Length:
    return Length(max=length, message=_l("Bitte höchstens %(max)d Zeichen eingeben."))


class FollowForm(FlaskForm):
    handle = StringField(_l("Adresse im Netzwerk"), validators=[DataRequired(FILL_IN), _at_most(500)],
                         description=_l("Zum Beispiel @jena@stadtnetz-thueringen.de"))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Ihre Antwort"), validators=[DataRequired(FILL_IN), _at_most(20000)],
                         description=_l("Markdown ist erlaubt."))


class ButtonForm(FlaskForm):
    """A button with a CSRF token."""


def _followed_uris(user) -> list[str]:
    return list(db.session.scalars(sa.select(Following.actor_uri).where(
        Following.user_id == user.id, Following.state == FollowState.ACCEPTED)))


def _actors(uris) -> dict[str, RemoteActor]:
    rows = db.session.scalars(sa.select(RemoteActor).where(RemoteActor.uri.in_(set(uris))))
    return {actor.uri: actor for actor in rows}


@bp.route("/netzwerk")
@login_required
def feed():
    """New content of the organisations and groups the user follows, newest first."""
    uris = _followed_uris(current_user)
    items = []
    for model in (RemotePractice, RemoteWebtalk, RemoteThread):
        items += db.session.scalars(
            sa.select(model).where(model.actor_uri.in_(uris), model.deleted_at.is_(None))
            .order_by(model.published_at.desc()).limit(FEED_LENGTH))
    items.sort(key=lambda item: item.published_at, reverse=True)
    return render_template("federation/feed.html", items=items[:FEED_LENGTH], actors=_actors(uris))


@bp.route("/netzwerk/folgen", methods=["GET", "POST"])
@login_required
def follow():
    """Follow an organisation, group or person of another instance; see whom one follows."""
    form = FollowForm()
    if form.validate_on_submit():
        try:
            follow_remote(acting_user(), form.handle.data)
        except Invalid as error:
            show_invalid(form, error)
        except NotFound as error:
            form.handle.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Die Anfrage ist gesendet. Sobald sie angenommen ist, erscheinen neue Inhalte "
                    "in Ihrem Netzwerk-Feed."), "success")
            return redirect(url_for(".follow"))
    followings = followings_of(current_user)
    return render_template("federation/follow.html", form=form, followings=followings,
                           actors=_actors(f.actor_uri for f in followings), button=ButtonForm())


@bp.post("/netzwerk/folgen/<int:following_id>/beenden")
@login_required
def unfollow(following_id: int):
    """Stop following a remote actor."""
    following = db.get_or_404(Following, following_id)
    if ButtonForm().validate_on_submit():
        unfollow_remote(acting_user(), following)
        db.session.commit()
        flash(_("Sie folgen diesem Profil nicht mehr."), "success")
    return redirect(url_for(".follow"))


@bp.route("/netzwerk/praxisbeispiele/<int:practice_id>")
def remote_practice(practice_id: int):
    """A practice of another instance, with its origin and a link back."""
    practice = db.get_or_404(RemotePractice, practice_id)
    if practice.is_deleted:
        abort(404)
    liked = current_user.is_authenticated and delivery.liked_remote(current_user, practice.uri)
    return render_template("federation/practice.html", practice=practice, liked=liked,
                           actor=_actors([practice.actor_uri]).get(practice.actor_uri),
                           button=ButtonForm())


@bp.post("/netzwerk/praxisbeispiele/<int:practice_id>/gefaellt-mir")
@login_required
def like_practice(practice_id: int):
    """Like a remote practice, or take the Like back: the origin is told either way."""
    practice = db.get_or_404(RemotePractice, practice_id)
    if ButtonForm().validate_on_submit():
        liked = delivery.liked_remote(acting_user(), practice.uri)
        try:
            (delivery.unlike_remote if liked else delivery.like_remote)(acting_user(), practice.uri)
        except Invalid as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Gefällt Ihnen nicht mehr.") if liked else _("Gefällt Ihnen: die Herkunft erfährt es."),
                  "success")
    return redirect(url_for(".remote_practice", practice_id=practice_id))


@bp.route("/netzwerk/webtalks/<int:talk_id>")
def remote_webtalk(talk_id: int):
    """A webtalk of another instance: when, what, and the way to its room at the origin."""
    talk = db.get_or_404(RemoteWebtalk, talk_id)
    if talk.is_deleted:
        abort(404)
    return render_template("federation/webtalk.html", talk=talk,
                           actor=_actors([talk.actor_uri]).get(talk.actor_uri))


@bp.route("/netzwerk/themen/<int:thread_id>", methods=["GET", "POST"])
def remote_thread(thread_id: int):
    """A thread of a remote working group with its replies; signed-in users answer here."""
    thread = db.get_or_404(RemoteThread, thread_id)
    if thread.is_deleted:
        abort(404)
    form = ReplyForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            reply_to_remote_thread(acting_user(), thread, form.body.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Ihre Antwort ist gesendet."), "success")
            return redirect(url_for(".remote_thread", thread_id=thread.id))
    posts = [post for post in thread.posts if not post.is_deleted]
    authors = _actors([thread.author_uri, thread.actor_uri, *(p.author_uri for p in posts)])
    return render_template("federation/thread.html", thread=thread, posts=posts, actors=authors,
                           form=form)


@bp.route("/ap/replies/<uuid:reply_id>")
def reply_document(reply_id):
    """One of our users' replies to a remote thread, as an ActivityPub ``Note``."""
    uri = f"{current_app.config['BASE_URL']}/ap/replies/{reply_id}"
    post = db.session.scalar(sa.select(RemotePost).where(RemotePost.uri == uri))
    if post is None or post.local_author_id is None or post.is_deleted:
        abort(404)
    response = jsonify(reply_note(post))
    response.content_type = "application/activity+json"
    return response


@bp.app_template_global()
def remote_authors(posts) -> dict[int, RemoteActor]:
    """The remote authors of those of ``posts`` that came from other instances, by post id
    (for the forum's thread page, where such posts have no local author)."""
    ids = [post.id for post in posts if post.author_id is None]
    if not ids:
        return {}
    rows = db.session.execute(sa.select(FederatedPost.post_id, RemoteActor)
                              .join(RemoteActor, RemoteActor.uri == FederatedPost.actor_uri)
                              .where(FederatedPost.post_id.in_(ids)))
    return {post_id: actor for post_id, actor in rows}


@page_section("practices.show")
def network_likes(practice) -> str:
    """How many people elsewhere in the network like a practice, on its page."""
    count = db.session.scalar(sa.select(sa.func.count(RemoteLike.id)).where(
        RemoteLike.object_uri == object_uri("practices", practice.id)))
    return render_template("federation/_likes.html", count=count) if count else ""
