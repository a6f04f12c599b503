"""Attachment views: upload, download and delete. Downloads go through the app (never the web
root), so a draft's files reach only those who may read the draft, and every file is served
with its checked type, a Content-Disposition and ``nosniff``."""

from flask import abort, flash, redirect, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user, show_invalid
from . import attachments, bp
from .forms import ActionForm, AttachmentForm
from .models import PracticeAttachment
from .routes import render_show, visible_practice


def _attachment(practice_id: int, attachment_id: int) -> PracticeAttachment:
    """The attachment of a practice the current user may read, or 404."""
    practice = visible_practice(practice_id)
    attachment = db.session.get(PracticeAttachment, attachment_id)
    if attachment is None or attachment.practice_id != practice.id:
        abort(404)
    return attachment


@bp.post("/praxisbeispiele/<int:practice_id>/anhaenge")
@login_required
def upload_attachment(practice_id: int):
    """Attach a PDF or an image to a practice."""
    practice = visible_practice(practice_id)
    require(current_user, "practice.edit", practice)
    form = AttachmentForm()
    if form.validate():
        try:
            upload = form.file.data
            attachments.add_attachment(acting_user(), practice, upload.filename, upload.stream,
                                       form.title.data or "")
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Datei ist angehängt."), "success")
            return redirect(practice.url + "#anhaenge")
    return render_show(practice, attachment_form=form)


@bp.route("/praxisbeispiele/<int:practice_id>/anhaenge/<int:attachment_id>/<filename>")
def download_attachment(practice_id: int, attachment_id: int, filename: str):
    """Serve an attachment: images inline, PDFs as a download."""
    attachment = _attachment(practice_id, attachment_id)
    path = attachments.file_path(attachment)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=attachment.content_type, download_name=attachment.filename,
                         as_attachment=not attachment.content_type.startswith("image/"), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not attachment.practice.is_public:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/praxisbeispiele/<int:practice_id>/anhaenge/<int:attachment_id>/loeschen")
@login_required
def delete_attachment(practice_id: int, attachment_id: int):
    """Remove an attachment."""
    attachment = _attachment(practice_id, attachment_id)
    practice = attachment.practice
    require(current_user, "practice.edit", practice)
    if not ActionForm().validate():
        abort(400)
    attachments.remove_attachment(acting_user(), attachment)
    db.session.commit()
    flash(_("Die Datei „%(name)s“ ist entfernt.", name=attachment.filename), "success")
    return redirect(practice.url + "#anhaenge")
