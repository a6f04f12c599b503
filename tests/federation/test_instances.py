"""Instances: hosts, the federation mode and the admin's allow/block decisions, and the
failure count that makes an instance unavailable until it answers again."""

import pytest

from stadtnetz.extensions import db
from stadtnetz.federation import instances
from stadtnetz.federation.instances import InstanceState


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://Mastodon.Social/users/a", "mastodon.social"),
        ("http://127.0.0.1:5001/ap/inbox", "127.0.0.1:5001"),
        ("https://[2001:db8::1]:8443/x", "[2001:db8::1]:8443"),
        ("https://user:pw@example.org/x", "example.org"),
        ("https://example.org:99999/x", ""),
        ("https://[::1/x", ""),
    ],
)
def test_host_of(url, host):
    assert instances.host_of(url) == host


def test_own_host_is_never_a_partner(app):
    app.config["FEDERATION"] = "open"

    assert instances.local_host() == "localhost"
    assert not instances.may_receive_from("localhost")
    assert instances.may_receive_from("mastodon.example")


def test_unknown_mode_counts_as_off(app):
    app.config["FEDERATION"] = "everything"
    instances.set_state("mastodon.example", InstanceState.ALLOWED)

    assert instances.mode() is instances.FederationMode.OFF
    assert not instances.may_deliver_to("mastodon.example")


def test_instance_turns_unavailable_after_repeated_failures_and_resumes(app):
    for _attempt in range(instances.UNAVAILABLE_AFTER - 1):
        instances.record_failure("down.example")
    assert not instances.find_instance("down.example").is_unavailable

    instances.record_failure("down.example")
    db.session.commit()
    down = instances.find_instance("down.example")
    assert down.is_unavailable
    since = down.unavailable_since

    instances.record_failure("down.example")
    assert instances.find_instance("down.example").unavailable_since == since

    instances.record_success("down.example")
    back = instances.find_instance("down.example")
    assert (back.is_unavailable, back.failures) == (False, 0)
    assert back.last_success is not None


def test_instance_rows_are_made_once_per_host(app):
    first = instances.instance_for("Mastodon.Example")
    again = instances.instance_for("mastodon.example")

    assert first.id == again.id
    assert first.state is InstanceState.UNKNOWN
