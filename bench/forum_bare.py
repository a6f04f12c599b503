"""The ceiling for bench/forum.py: a bare Flask endpoint, served by the same gunicorn setup."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """A fixed small page: no database, no templates, no session."""
    return "<!doctype html><title>Stadtnetz</title><p>Hallo</p>"
