"""Adoption views: another organisation records that it took a practice over or was inspired
by it, and may withdraw that again."""

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Organisation
from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user, show_invalid
from . import bp, services
from .forms import ActionForm, AdoptionForm
from .models import Adoption
from .routes import render_show, visible_practice
from .topics import AdoptionKind


@bp.post("/praxisbeispiele/<int:practice_id>/uebernahme")
@login_required
def adopt(practice_id: int):
    """Record "Wir haben das übernommen" or "Hat uns inspiriert" for one's organisation."""
    practice = visible_practice(practice_id)
    require(current_user, "practice.adopt", practice)
    form = AdoptionForm()
    form.offer(services.adoption_organisations(current_user, practice))
    if form.validate():
        try:
            organisation = db.session.get(Organisation, form.organisation.data)
            services.adopt_practice(acting_user(), practice, organisation, AdoptionKind(form.kind.data),
                                    form.note.data or "")
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Danke! Ihre Übernahme steht jetzt beim Praxisbeispiel."), "success")
            return redirect(practice.url + "#uebernahmen")
    return render_show(practice, adoption_form=form)


@bp.post("/praxisbeispiele/<int:practice_id>/uebernahme/<int:adoption_id>/zuruecknehmen")
@login_required
def withdraw_adoption(practice_id: int, adoption_id: int):
    """Remove one's organisation's adoption again."""
    practice = visible_practice(practice_id)
    adoption = db.session.get(Adoption, adoption_id)
    if adoption is None or adoption.practice_id != practice.id:
        abort(404)
    require(current_user, "adoption.withdraw", adoption)
    if not ActionForm().validate():
        abort(400)
    services.withdraw_adoption(acting_user(), adoption)
    db.session.commit()
    flash(_("Der Eintrag ist zurückgenommen."), "success")
    return redirect(practice.url + "#uebernahmen")
