"""Writing practices: the form (nothing lost on error, rows without JavaScript), the state
machine draft → published → archived, revisions with a readable diff, and follow-up notes."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from stadtnetz.errors import Invalid, PermissionDenied
from stadtnetz.practices import services
from stadtnetz.practices.models import Practice, PracticeRevision
from stadtnetz.practices.topics import PracticeState, PracticeStatus


def _only_practice(db) -> Practice:
    return db.session.scalars(sa.select(Practice)).one()


def test_a_member_writes_a_draft_with_all_facts(client, login, db, world, practice_data):
    login(world.member)
    response = client.post("/praxisbeispiele/neu", data=practice_data)
    practice = _only_practice(db)
    assert response.status_code == 302 and response.headers["Location"] == practice.url
    assert practice.state == PracticeState.DRAFT
    assert practice.organisation == world.home and practice.author == world.member
    assert practice.situation == "In der Altstadt standen **23 Ladenlokale** leer."
    assert practice.situation_html == "<p>In der Altstadt standen <strong>23 Ladenlokale</strong> leer.</p>"
    assert [t.slug for t in practice.topics] == ["handel", "leerstand"]
    assert practice.tags == ["Pop-up-Store", "Kataster"]
    assert (practice.total_cost, practice.funding_amount, practice.own_share) == (120_000, 90_000, 30_000)
    assert practice.started_on == date(2023, 3, 1) and practice.ended_on is None
    [figure] = practice.key_figures
    assert (figure.name, figure.before, figure.after, figure.unit) == (
        "Leerstehende Ladenlokale",
        23,
        11,
        "Stück",
    )
    assert [(p.name, p.role) for p in practice.partners] == [
        ("Werbegemeinschaft Altstadt", "Ansprache der Händler")
    ]
    assert practice.licence == "CC-BY-4.0"

    page = client.get(practice.url).get_data(as_text=True)
    assert "Entwurf: Nur Mitglieder von Stadt Lüdenscheid" in page
    for text in (
        "<strong>23 Ladenlokale</strong>",
        "Was nicht funktioniert hat",
        "120.000 €",
        "Zukunftsfähige Innenstädte und Zentren",
        "Werbegemeinschaft Altstadt",
        "Leerstehende Ladenlokale",
        "mailto:mia@luedenscheid.example",
        "Lüdenscheid",
        "Nordrhein-Westfalen",
        "Mittelstadt",
    ):
        assert text in page


def test_an_invalid_form_keeps_every_entry_and_lists_the_errors(client, login, db, world, practice_data):
    login(world.member)
    practice_data.update(
        {"title": "", "ended_on": "2020-01-01", "key_figures-1-before": "viele", "teaser": "x" * 501}
    )
    page = client.post("/praxisbeispiele/neu", data=practice_data).get_data(as_text=True)
    assert db.session.scalars(sa.select(Practice)).first() is None
    assert 'class="error-summary"' in page
    assert 'href="#title">Titel: Bitte geben Sie einen Titel an.' in page
    assert 'href="#key_figures-1-name"' in page and "Bitte geben Sie der Kennzahl einen Namen." in page
    assert "Bitte geben Sie eine Zahl an, z. B. 12,5." in page
    # What was typed is still there.
    assert 'value="Werbegemeinschaft Altstadt"' in page
    assert "In der Altstadt standen **23 Ladenlokale** leer." in page
    assert 'value="viele"' in page


def test_end_before_start_is_refused_by_the_service(db, world, make_practice):
    practice = make_practice(organisation=world.home, state="draft")
    with pytest.raises(Invalid) as error:
        services.update_practice(
            world.member, practice, {"started_on": date(2024, 5, 1), "ended_on": date(2024, 1, 1)}
        )
    assert error.value.field == "ended_on"


def test_more_rows_without_javascript(client, login, world, practice_data):
    login(world.member)
    page = client.post("/praxisbeispiele/neu", data={**practice_data, "add_row": "partners"}).get_data(
        as_text=True
    )
    assert 'id="partners-3-name"' in page and 'id="partners-4-name"' not in page
    assert 'value="Werbegemeinschaft Altstadt"' in page


def test_edit_form_shows_stored_rows_and_empty_ones(client, login, world, make_practice):
    practice = make_practice(
        organisation=world.home,
        key_figures=[
            {"name": "Passanten", "before": Decimal("1200.5"), "after": Decimal("1500"), "unit": "je Stunde"}
        ],
    )
    login(world.member)
    page = client.get(f"/praxisbeispiele/{practice.id}/bearbeiten").get_data(as_text=True)
    assert 'value="Passanten"' in page and 'value="1200,5"' in page and 'value="1500"' in page
    assert 'id="key_figures-2-name"' in page


def test_state_machine(db, world, make_practice):
    practice = make_practice(organisation=world.home, state="draft", teaser="")
    with pytest.raises(Invalid, match="Kurzbeschreibung"):
        services.publish_practice(world.member, practice)
    services.update_practice(world.member, practice, {"teaser": "Kurz gesagt."})
    with pytest.raises(Invalid):
        services.archive_practice(world.member, practice)
    services.publish_practice(world.member, practice)
    assert practice.state == PracticeState.PUBLISHED and practice.published_at is not None
    with pytest.raises(Invalid):
        services.publish_practice(world.member, practice)
    services.archive_practice(world.member, practice)
    assert practice.state == PracticeState.ARCHIVED and practice.archived_at is not None
    services.publish_practice(world.member, practice)
    assert practice.state == PracticeState.PUBLISHED and practice.archived_at is None
    with pytest.raises(PermissionDenied):
        services.archive_practice(world.outsider, practice)


def test_publish_and_archive_buttons(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home, state="draft")
    login(world.member)
    page = client.get(practice.url).get_data(as_text=True)
    assert "Veröffentlichen</button>" in page and "Archivieren</button>" not in page
    client.post(f"/praxisbeispiele/{practice.id}/veroeffentlichen")
    db.session.refresh(practice)
    assert practice.state == PracticeState.PUBLISHED
    page = client.get(practice.url).get_data(as_text=True)
    assert "ist veröffentlicht und für alle zu finden" in page and "Archivieren</button>" in page
    client.post(f"/praxisbeispiele/{practice.id}/archivieren")
    db.session.refresh(practice)
    assert practice.state == PracticeState.ARCHIVED
    assert "Archiviert: Dieses Praxisbeispiel erscheint nicht mehr" in client.get(practice.url).get_data(
        as_text=True
    )


def test_old_or_missing_slug_redirects_to_the_canonical_address(client, world, make_practice):
    practice = make_practice(organisation=world.home, title="Kaufhaus wird Bürgerhaus")
    assert practice.url.endswith("-kaufhaus-wird-buergerhaus")
    for url in (f"/praxisbeispiele/{practice.id}", f"/praxisbeispiele/{practice.id}-alter-titel"):
        response = client.get(url)
        assert response.status_code == 301 and response.headers["Location"] == practice.url


def test_every_save_of_a_published_practice_keeps_a_revision(db, world, make_practice):
    practice = make_practice(organisation=world.home, state="draft")
    services.update_practice(world.member, practice, {"title": "Noch ein Entwurf"})
    assert practice.revisions == []
    services.publish_practice(world.member, practice)
    services.update_practice(world.member, practice, {"results": "Zwölf neue Mieter."})
    services.update_practice(world.member, practice, {"results": "Zwölf neue Mieter."})  # nothing changed
    services.update_practice(world.moderator, practice, {"status": PracticeStatus.VERSTETIGT})
    db.session.commit()
    revisions = db.session.scalars(sa.select(PracticeRevision).order_by(PracticeRevision.number)).all()
    assert [(r.number, r.author) for r in revisions] == [
        (1, world.member),
        (2, world.member),
        (3, world.moderator),
    ]
    assert revisions[1].snapshot["results"] == "Zwölf neue Mieter."
    assert revisions[2].snapshot["status"] == "verstetigt"


def test_revision_page_shows_who_changed_what(client, login, db, world, make_practice, practice_data):
    practice = make_practice(
        organisation=world.home, author=world.member, situation="Viele Läden standen leer."
    )
    login(world.member)
    client.post(
        f"/praxisbeispiele/{practice.id}/bearbeiten",
        data={**practice_data, "title": practice.title, "situation": "Viele Läden standen lange leer."},
    )
    page = client.get(f"/praxisbeispiele/{practice.id}/versionen").get_data(as_text=True)
    assert "Version 2" in page and "Mia Schreiber" in page
    page = client.get(f"/praxisbeispiele/{practice.id}/versionen/2").get_data(as_text=True)
    assert "Gespeichert am" in page and "Mia Schreiber" in page
    assert '<ins><span class="visually-hidden">hinzugefügt: </span>lange </ins>' in page
    assert ">Ausgangslage</h2>" in page
    # Fields that did not change are not listed; new ones are.
    assert ">Titel</h2>" not in page and ">Kennzahlen</h2>" in page
    assert client.get(f"/praxisbeispiele/{practice.id}/versionen/9").status_code == 404


def test_follow_up_notes(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home)
    login(world.member)
    response = client.post(
        f"/praxisbeispiele/{practice.id}/fortschreibung",
        data={
            "follow_up-noted_on": "2025-03-01",
            "follow_up-body": "Nach zwölf Monaten: *alle* Läden vermietet.",
        },
    )
    assert response.status_code == 302
    page = client.get(practice.url).get_data(as_text=True)
    assert "Stand vom 01.03.2025" in page and "<em>alle</em> Läden vermietet" in page
    page = client.post(
        f"/praxisbeispiele/{practice.id}/fortschreibung",
        data={"follow_up-noted_on": "2999-01-01", "follow_up-body": "Zukunft"},
    ).get_data(as_text=True)
    assert "Das Datum darf nicht in der Zukunft liegen." in page and "Zukunft</textarea>" in page
    assert len(practice.follow_ups) == 1
