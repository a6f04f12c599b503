"""The directory's search form: a query (name, PLZ or AGS) and filters for Land and size."""

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from .models import LAENDER, SizeClass


def size_class_text(size: SizeClass) -> str:
    """A size class with its population range, e.g. "Kleinstadt (5.000 bis 19.999 Einwohner)"."""
    label, low = size.label, format_decimal(size.minimum)
    if size.maximum is None:
        return _("%(label)s (ab %(minimum)s Einwohnern)", label=label, minimum=low)
    high = format_decimal(size.maximum)
    if size.minimum == 0:
        return _("%(label)s (bis %(maximum)s Einwohner)", label=label, maximum=high)
    return _("%(label)s (%(minimum)s bis %(maximum)s Einwohner)", label=label, minimum=low, maximum=high)


class SearchForm(FlaskForm):
    """Sent by GET, so the result pages can be linked and bookmarked; no CSRF token needed."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name, Postleitzahl oder Gemeindeschlüssel"),
        validators=[Optional(), Length(max=100)],
        description=_l("Zum Beispiel „Lüdenscheid“, „58507“ oder „05962032“."),
    )
    land = SelectField(_l("Land"), validators=[Optional()])
    groesse = SelectField(_l("Größenklasse"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        laender = sorted((name, key) for key, (name, _code) in LAENDER.items())
        self.land.choices = [("", _("Alle Länder")), *((key, name) for name, key in laender)]
        self.groesse.choices = [("", _("Alle Größen")), *((s.slug, size_class_text(s)) for s in SizeClass)]

    @property
    def size_class(self) -> SizeClass | None:
        """The chosen size class, if any."""
        return SizeClass.by_slug(self.groesse.data or "")

    @property
    def criteria(self) -> dict[str, str]:
        """The query and filters the visitor set, for links to further result pages."""
        fields = (self.q, self.land, self.groesse)
        return {f.name: f.data.strip() for f in fields if f.data and f.data.strip()}
