"""Practices in the privacy functions: the export lists what the user wrote; deleting the
account keeps the practices, shown as "gelöschtes Konto", or deletes them when asked."""

import io
import json

import sqlalchemy as sa

from stadtnetz import outbox
from stadtnetz.practices import services
from stadtnetz.practices.models import Adoption, Practice, PracticeFollowUp
from stadtnetz.practices.topics import AdoptionKind
from tests.conftest import PASSWORD


def test_export_lists_practices_notes_and_adoptions(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home, author=world.member, title="Markthalle neu belebt")
    services.add_follow_up(world.member, practice, practice.published_at.date(), "Läuft weiter.")
    other = make_practice(organisation=world.other)
    services.adopt_practice(world.member, other, world.home, AdoptionKind.INSPIRED, "Tolle Idee")
    db.session.commit()
    login(world.member)
    data = json.loads(client.post("/konto/daten").get_data(as_text=True))
    assert [p["title"] for p in data["practices"]] == ["Markthalle neu belebt"]
    assert data["practices"][0]["state"] == "published"
    assert data["practice_follow_ups"][0]["body"] == "Läuft weiter."
    assert data["practice_revisions"][0]["number"] == 1
    assert data["practice_adoptions"] == [{"practice_id": other.id, "organisation": "Stadt Lüdenscheid",
                                           "kind": "inspired", "note": "Tolle Idee",
                                           "created_at": data["practice_adoptions"][0]["created_at"]}]


def test_deleted_accounts_content_stays_as_gelöschtes_konto(client, login, db, world, make_practice):
    practice = make_practice(organisation=world.home, author=world.member)
    services.add_follow_up(world.member, practice, practice.published_at.date(), "Ein Jahr später.")
    db.session.commit()
    login(world.member)
    client.post("/konto/loeschen", data={"password": PASSWORD})
    db.session.expire_all()
    assert practice.author is None and practice.revisions[0].author is None
    page = client.get(practice.url).get_data(as_text=True)
    assert "Verfasst von gelöschtes Konto" in page and "Ein Jahr später." in page
    assert "Mia Schreiber" not in page


def test_deleting_with_content_removes_the_practices(client, login, db, world, make_practice, attachment_dir):
    practice = make_practice(organisation=world.home, author=world.member)
    kept = make_practice(organisation=world.home, title="Von jemand anderem")
    services.adopt_practice(world.outsider, kept, world.other, AdoptionKind.ADOPTED)
    db.session.commit()
    login(world.member)
    client.post(f"/praxisbeispiele/{practice.id}/anhaenge", content_type="multipart/form-data",
                data={"attachment-file": (io.BytesIO(b"%PDF-1.4 x"), "a.pdf")})
    [stored] = list(attachment_dir.iterdir())
    client.post("/konto/loeschen", data={"password": PASSWORD, "delete_content": "y"})
    assert db.session.scalars(sa.select(Practice.title)).all() == ["Von jemand anderem"]
    assert db.session.scalars(sa.select(PracticeFollowUp)).all() == []
    assert len(db.session.scalars(sa.select(Adoption)).all()) == 1
    outbox.run_pending("practice-files")
    assert not stored.exists()
