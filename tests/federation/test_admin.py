"""The admin page /admin/federation: instances, their state, the queue and failed deliveries."""

import pytest

from stadtnetz import outbox
from stadtnetz.accounts.models import SiteRole
from stadtnetz.database import utcnow
from stadtnetz.federation import delivery
from stadtnetz.federation.instances import InstanceState, find_instance, record_failure, set_state
from stadtnetz.outbox import OutboxJob


@pytest.fixture
def admin(make_user, login):
    user = make_user(site_role=SiteRole.ADMIN)
    login(user)
    return user


@pytest.mark.parametrize("role", [None, SiteRole.MEMBER, SiteRole.MODERATOR])
def test_only_admins_reach_the_page(client, make_user, login, role):
    if role is not None:
        login(make_user(site_role=role))
    block = {"host": "a.example", "action": "block"}
    for response in (client.get("/admin/federation"), client.post("/admin/federation/instanzen", data=block)):
        assert response.status_code == (302 if role is None else 403)
    assert find_instance("a.example") is None


def test_the_page_shows_instances_with_their_state_and_the_queue(client, db, admin):
    set_state("allowed.example", InstanceState.ALLOWED)
    set_state("blocked.example", InstanceState.BLOCKED)
    for _failure in range(10):
        record_failure("down.example")
    outbox.enqueue(delivery.QUEUE, {"activity": "x", "inbox": "https://allowed.example/inbox"})
    failed = outbox.enqueue(delivery.QUEUE, {"activity": "y", "inbox": "https://gone.example/inbox"})
    failed.attempts, failed.last_error = 1, "GiveUp: https://gone.example/inbox lehnte mit HTTP 410 ab"
    failed.failed_at = failed.created_at = failed.run_after = utcnow()
    db.session.commit()
    page = client.get("/admin/federation").get_data(as_text=True)
    assert "Allowlist: nur mit erlaubten Instanzen" in page
    assert "allowed.example" in page and "erlaubt" in page
    assert "blocked.example" in page and "gesperrt" in page
    assert "down.example" in page and "nicht erreichbar seit" in page
    assert "1 Zustellung in der Warteschlange." in page
    assert "https://gone.example/inbox" in page and "lehnte mit HTTP 410 ab" in page
    assert f"/admin/federation/zustellungen/{failed.id}/wiederholen" in page


def test_an_admin_allows_and_blocks_instances_even_before_first_contact(client, admin):
    response = client.post("/admin/federation/instanzen", data={"host": " Stadtnetz.Example.org ",
                                                                 "action": "allow"}, follow_redirects=True)
    assert "stadtnetz.example.org ist jetzt erlaubt." in response.get_data(as_text=True)
    assert find_instance("stadtnetz.example.org").state == InstanceState.ALLOWED
    response = client.post("/admin/federation/instanzen", data={"host": "stadtnetz.example.org",
                                                                 "action": "block"}, follow_redirects=True)
    assert "stadtnetz.example.org ist jetzt gesperrt." in response.get_data(as_text=True)
    assert find_instance("stadtnetz.example.org").state == InstanceState.BLOCKED


@pytest.mark.parametrize("host, message", [
    ("", "Bitte geben Sie einen Hostnamen an"),
    ("https://x.example/pfad", "Bitte geben Sie einen Hostnamen an"),
    ("localhost", "Das ist diese Instanz selbst."),
])
def test_a_bad_host_is_answered_in_german_and_nothing_is_stored(client, admin, host, message):
    response = client.post("/admin/federation/instanzen", data={"host": host, "action": "block"},
                           follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert find_instance(host) is None


def test_retry_puts_a_failed_delivery_back_in_the_queue(client, db, admin):
    job = outbox.enqueue(delivery.QUEUE, {"activity": "y", "inbox": "https://gone.example/inbox"})
    job.attempts, job.last_error = 3, "DeliveryFailed: HTTP 503"
    job.failed_at = utcnow()
    db.session.commit()
    response = client.post(f"/admin/federation/zustellungen/{job.id}/wiederholen", follow_redirects=True)
    assert "Die Zustellung steht wieder in der Warteschlange." in response.get_data(as_text=True)
    db.session.refresh(job)
    assert job.failed_at is None and job.attempts == 0
    assert outbox.pending_count(delivery.QUEUE) == 1
    assert client.post(f"/admin/federation/zustellungen/{job.id}/wiederholen").status_code == 404
    assert client.post("/admin/federation/zustellungen/99999/wiederholen").status_code == 404
    assert db.session.get(OutboxJob, job.id).failed_at is None
