"""The live room's page (the client is ``static/js/webtalk-room.js``) and the archive page
after the talk, with its one button that moves open questions into the forum."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import can, require
from ..errors import Invalid, PermissionDenied
from ..extensions import db
from ..web import CONTENT_SECURITY_POLICY, acting_user
from . import archive, bp, qa, room, talks
from .forms import ActionForm
from .routes import talk_or_404

#: What an embedded conference may use; everything else stays off as on every page.
STAGE_FEATURES = ("camera", "microphone", "display-capture", "fullscreen")


@bp.route("/webtalks/<int:talk_id>/raum")
@login_required
def room_page(talk_id: int):
    """The live room. Only here may the operator's allowed stage origin be framed."""
    talk = talk_or_404(talk_id)
    require(current_user, "webtalk.enter_room", talk)
    origin = talks.embed_origin(talk)
    response = make_response(
        render_template(
            "webtalks/room.html",
            talk=talk,
            embed=origin is not None,
            open=talk.room_is_open() or can(current_user, "webtalk.moderate", talk),
            role=room.role_of(current_user, talk),
            reactions=room.REACTIONS,
        )
    )
    if origin:
        response.headers["Content-Security-Policy"] = f"{CONTENT_SECURITY_POLICY}; frame-src {origin}"
        allowed = ", ".join(f'{feature}=(self "{origin}")' for feature in STAGE_FEATURES)
        response.headers["Permissions-Policy"] = f"{allowed}, geolocation=()"
    return response


@bp.route("/webtalks/<int:talk_id>/archiv")
def archive_page(talk_id: int):
    """What the room recorded: chat, questions with answers, poll results."""
    talk = talk_or_404(talk_id)
    return render_template(
        "webtalks/archive.html",
        talk=talk,
        chat=archive.transcript(talk),
        questions=qa.questions(talk),
        polls=qa.polls(talk),
        open_questions=archive.open_questions(talk),
        form=ActionForm(),
    )


@bp.post("/webtalks/<int:talk_id>/archiv/fragen-ins-forum")
@login_required
def questions_to_forum(talk_id: int):
    """Turn the open questions into threads of the talk's working group."""
    talk = talk_or_404(talk_id)
    require(current_user, "webtalk.moderate", talk)
    if ActionForm().validate_on_submit():
        try:
            count = archive.questions_to_threads(acting_user(), talk)
        except Invalid as error:
            flash(error.message, "error")
        except PermissionDenied:
            flash(_("Sie können in dieser Arbeitsgruppe keine Themen eröffnen."), "error")
        else:
            db.session.commit()
            flash(_("%(count)d Fragen sind jetzt Themen im Forum der Arbeitsgruppe.", count=count), "success")
    return redirect(url_for(".archive_page", talk_id=talk.id))
