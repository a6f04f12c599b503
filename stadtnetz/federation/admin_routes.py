"""The admin page ``/admin/federation``: which instances we talk to, and how delivery goes.

Admins see every known instance with its state (allowed, blocked, unavailable), allow or block
one (also before first contact), see the queue's length and the deliveries given up with their
reasons, and put one back in the queue.
"""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from .. import outbox
from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user
from . import delivery
from .instances import Instance, InstanceState, mode

bp = Blueprint("federation_admin", __name__)

ACTIONS = {
    "allow": (InstanceState.ALLOWED, _l("%(host)s ist jetzt erlaubt.")),
    "block": (InstanceState.BLOCKED, _l("%(host)s ist jetzt gesperrt.")),
    "reset": (InstanceState.UNKNOWN, _l("%(host)s folgt wieder der Grundeinstellung.")),
}


class InstanceForm(FlaskForm):
    host = StringField(_l("Instanz (Hostname)"), validators=[DataRequired(), Length(max=260)])
    action = HiddenField(validators=[DataRequired()])


class RetryForm(FlaskForm):
    """Only the CSRF token: the delivery is named by the URL."""


@bp.get("/admin/federation")
@login_required
def overview():
    """Instances with their state, the queue and the failed deliveries."""
    require(current_user, "federation.manage")
    instances = db.session.scalars(sa.select(Instance).order_by(Instance.host)).all()
    return render_template(
        "federation/admin.html", instances=instances, mode=mode(), form=InstanceForm(),
        retry_form=RetryForm(), queue_length=outbox.pending_count(delivery.QUEUE),
        failed=delivery.failed_jobs(),
    )


@bp.post("/admin/federation/instanzen")
@login_required
def change_instance():
    """Allow, block or reset one instance."""
    require(current_user, "federation.manage")
    form = InstanceForm()
    if not form.validate() or form.action.data not in ACTIONS:
        flash(_("Bitte geben Sie einen Hostnamen an, z. B. stadtnetz.example.org."), "error")
        return redirect(url_for(".overview"))
    state, message = ACTIONS[form.action.data]
    try:
        instance = delivery.set_instance_state(acting_user(), form.host.data, state)
    except Invalid as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(str(message % {"host": instance.host}), "success")
    return redirect(url_for(".overview"))


@bp.post("/admin/federation/zustellungen/<int:job_id>/wiederholen")
@login_required
def retry(job_id: int):
    """Put a failed delivery back in the queue."""
    require(current_user, "federation.manage")
    if not RetryForm().validate():
        flash(_("Die Anfrage war abgelaufen. Bitte versuchen Sie es noch einmal."), "error")
        return redirect(url_for(".overview"))
    delivery.retry_delivery(acting_user(), job_id)
    db.session.commit()
    flash(_("Die Zustellung steht wieder in der Warteschlange."), "success")
    return redirect(url_for(".overview"))
