"""Language and time zone: German first, English second; times shown in Europe/Berlin."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user

SESSION_KEY = "locale"


def select_locale() -> str:
    """The user's setting, then the visitor's choice in this session, then Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and workers speak the default language
        return languages[0]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get(SESSION_KEY) in languages:
        return session[SESSION_KEY]
    return request.accept_languages.best_match(languages, default=languages[0])
