"""Domain exceptions raised by services, and the German error pages the app answers with.

Services raise ``PermissionDenied``, ``NotFound`` or ``Invalid``; views turn ``Invalid`` into
form errors and let the other two fall through to the error handlers here, which answer with
an HTML page, or with JSON under ``/api/``.
"""

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError
from werkzeug.exceptions import NotFound as HTTPNotFound


class DomainError(Exception):
    """Base class of the errors services raise."""


class PermissionDenied(DomainError):
    """The actor may not do this."""


class NotFound(DomainError):
    """The thing asked for does not exist (or may not be seen)."""


class Invalid(DomainError):
    """The input breaks a rule; ``field`` names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


ERROR_TEXTS = {
    400: (_l("Ungültige Anfrage"), _l("Die Anfrage konnte nicht verarbeitet werden.")),
    403: (_l("Zugriff verweigert"), _l("Sie haben keine Berechtigung für diese Seite.")),
    404: (_l("Seite nicht gefunden"), _l("Diese Seite gibt es nicht (mehr).")),
    405: (_l("Methode nicht erlaubt"), _l("Diese Aktion ist hier nicht möglich.")),
    413: (_l("Anfrage zu groß"), _l("Die gesendeten Daten überschreiten die erlaubte Größe.")),
    429: (
        _l("Zu viele Anfragen"),
        _l("Sie haben zu viele Anfragen gestellt. Bitte warten Sie einen Moment."),
    ),
    500: (
        _l("Interner Fehler"),
        _l("Etwas ist schiefgelaufen. Ihre Eingaben wurden nicht gespeichert."),
    ),
}


def _respond(code: int, detail: str | None = None):
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if request.path.startswith("/api/") or request.path == "/healthz":
        return jsonify(error=str(title), detail=detail or str(text)), code
    return render_template("errors/error.html", code=code, title=title, text=text), code


def register_error_handlers(app: Flask) -> None:
    """Answer every HTTP error with a German page (or JSON for the API)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _respond(error.code or 500)

    @app.errorhandler(PermissionDenied)
    def permission_denied(error: PermissionDenied):
        return _respond(Forbidden.code, str(error) or None)

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        return _respond(HTTPNotFound.code, str(error) or None)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _respond(InternalServerError.code)
