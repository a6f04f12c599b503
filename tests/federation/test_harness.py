"""The two-instance harness itself: two separate instances answer over real HTTP on loopback."""

import urllib.request

from stadtnetz.accounts.models import Organisation, OrganisationType
from stadtnetz.extensions import db


def test_two_instances_serve_on_loopback_with_separate_databases(instance_a, instance_b):
    assert instance_a.port != instance_b.port
    with instance_a.context():
        db.session.add(Organisation(name="Stadt Jena", slug="jena", type=OrganisationType.KOMMUNE))
    with urllib.request.urlopen(instance_a.url("/"), timeout=10) as response:
        assert response.status == 200
    with instance_b.context():
        assert db.session.scalar(db.select(Organisation).filter_by(slug="jena")) is None
    with instance_a.context():
        assert db.session.scalar(db.select(Organisation).filter_by(slug="jena")).name == "Stadt Jena"
        assert instance_a.app.config["BASE_URL"] == f"http://127.0.0.1:{instance_a.port}"
