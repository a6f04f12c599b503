"""Mail leaves through SMTP when configured, else lands as a file in the instance folder."""

from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader

from stadtnetz import mail, outbox


@pytest.fixture(autouse=True)
def _test_template(app):
    app.jinja_env.loader = ChoiceLoader(
        [app.jinja_env.loader, DictLoader({"mail/test_message.txt": "Hallo {{ name }},\n\nein Test."})]
    )


def test_mail_is_sent_through_smtp_after_commit(app, db, mailbox):
    with app.test_request_context():
        mail.send_mail("anna@example.org", "Willkommen", "test_message", name="Anna")
    assert mailbox.deliver() == []  # not committed yet: nothing is sent
    db.session.commit()
    [message] = mailbox.deliver()
    assert message["To"] == "anna@example.org"
    assert message["Subject"] == "Willkommen"
    assert "Hallo Anna" in message.get_content()


def test_without_mail_url_mail_is_written_to_the_instance_folder(app, db, mailbox):
    app.config["MAIL_URL"] = None
    with app.test_request_context():
        mail.send_mail("bernd@example.org", "Hinweis", "test_message", name="Bernd")
    db.session.commit()
    assert outbox.run_pending("mail") == 1
    [written] = Path(app.config["MAIL_DIR"]).glob("*.eml")
    text = written.read_text()
    assert "To: bernd@example.org" in text and "Hallo Bernd" in text
    assert mailbox.messages == []


def test_an_unreachable_smtp_server_keeps_the_mail_for_a_retry(app, db):
    app.config["MAIL_URL"] = "smtp://127.0.0.1:9"
    with app.test_request_context():
        mail.send_mail("carla@example.org", "Hinweis", "test_message", name="Carla")
    db.session.commit()
    assert outbox.run_pending("mail") == 0
    assert outbox.pending_count("mail") == 1


def test_a_long_german_subject_arrives_with_every_space(app, db, mailbox):
    # Folded between two encoded words, the space before "erwähnt" used to vanish (gh-144156).
    subjects = [
        "Person 2650 hat Sie in „Hitzeaktionsplan“ erwähnt",
        "Dr. Annegret Müller-Lüdenscheid hat Ihnen in „Grünflächen, Schwammstadt und "
        "Hitzeschutz für ältere Menschen“ geantwortet",
    ]
    with app.test_request_context():
        for subject in subjects:
            mail.send_mail("dora@example.org", subject, "test_message", name="Dora")
    db.session.commit()
    assert [message["Subject"] for message in mailbox.deliver()] == subjects
