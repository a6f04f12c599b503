"""The corpus importer: parsing Markdown project files (real ones when ../shared is there, and
broken ones), mapping them onto practices, and ``flask practices import`` end to end."""

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from stadtnetz.accounts.models import Organisation, OrganisationType
from stadtnetz.outbox import OutboxJob
from stadtnetz.practices.cli import CORPUS_ORGANISATION
from stadtnetz.practices.importer import (
    CORPUS_DIR,
    Project,
    ProjectFileError,
    credited_source,
    practice_fields,
    read_directory,
    read_project,
    tag_name,
    teaser,
)
from stadtnetz.practices.models import Practice, PracticeRevision
from stadtnetz.practices.topics import PracticeState, PracticeStatus, Topic

needs_corpus = pytest.mark.skipif(
    not CORPUS_DIR.is_dir(),
    reason=f"the Datenprojekte corpus is not there ({CORPUS_DIR}); see shared/data/README.md",
)

PROJECT = """---
title: Leerstandsmelder: Karte leerer Läden
type: Projekt
status: In Betrieb{SPACE}
aliases:
  ---

# Leerstandsmelder

## Kurzbeschreibung
Der Leerstandsmelder zeigt leerstehende Ladenlokale auf einer Karte.
Bürgerinnen und Bürger melden Leerstand mit wenigen Klicks. Ziel ist es, Eigentümer und
Gründerinnen zusammenzubringen.

## Organisation(en)
- [[Organisation/Code for Hamburg]]
- [[Organisation/Stadt Beispiel]]

## Projekt-Links
- https://www.leerstandsmelder.de/
-{SPACE}

## Einsatzbereiche
- [[Stadtentwicklung]]: #Stadt, #Wohnen
- [[Bildung]]: #Bildung
- [[Anti Dismkriminierung]]: #Kinder--und-Jugendhilfe

## Arten
- [[Karten & Verzeichnisse]]: #Interaktive-Karte
- #KI-Anwendung

## Quelle
- https://codefor.de/projekte/leerstandsmelder/
Lizenz: "CC-BY 4.0" mit Dank an https://codefor.de/

Zurück zu: [[@Alle Projekte]]
""".replace("{SPACE}", " ")  # the corpus has trailing spaces after a status and an empty link


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_a_project_file_is_read_section_by_section(tmp_path):
    project = read_project(write(tmp_path, "Leerstandsmelder.md", PROJECT))

    assert project.title == "Leerstandsmelder: Karte leerer Läden"  # a colon, which YAML would refuse
    assert project.status == "In Betrieb"
    assert project.summary.startswith("Der Leerstandsmelder zeigt") and "\n" not in project.summary
    assert project.organisations == ("Code for Hamburg", "Stadt Beispiel")
    assert project.links == ("https://www.leerstandsmelder.de/",)
    assert [area.name for area in project.areas] == ["Stadtentwicklung", "Bildung", "Antidiskriminierung"]
    assert project.areas[0].tags == ("Stadt", "Wohnen")
    assert project.kinds[1].name == "" and project.kinds[1].tags == ("KI Anwendung",)
    assert project.source_url == "https://codefor.de/projekte/leerstandsmelder/"
    assert (project.licence, project.credit_url) == ("CC-BY-4.0", "https://codefor.de/")


def test_a_project_becomes_the_fields_of_a_practice(tmp_path):
    fields = practice_fields(read_project(write(tmp_path, "Leerstandsmelder.md", PROJECT)))

    assert fields.title == "Leerstandsmelder: Karte leerer Läden"
    assert fields.situation == "Ziel ist es, Eigentümer und Gründerinnen zusammenzubringen."
    assert fields.implementation == (
        "Der Leerstandsmelder zeigt leerstehende Ladenlokale auf einer Karte. Bürgerinnen und Bürger "
        "melden Leerstand mit wenigen Klicks.\n\nUmgesetzt von Code for Hamburg und Stadt Beispiel."
        "\n\nMehr zum Projekt:\n\n- <https://www.leerstandsmelder.de/>"
        "\n\nQuelle: [„Leerstandsmelder: Karte leerer Läden“, Projektbeschreibung von codefor.de]"
        "(https://codefor.de/projekte/leerstandsmelder/), Lizenz: [CC BY 4.0]"
        "(https://creativecommons.org/licenses/by/4.0/deed.de)"
    )
    assert credited_source(fields.implementation) == "https://codefor.de/projekte/leerstandsmelder/"
    # Stadtentwicklung → Öffentlicher Raum, #Wohnen → Wohnen, any Arten → Digitalisierung.
    assert fields.topics == (Topic.WOHNEN, Topic.DIGITALISIERUNG, Topic.RAUM)
    # Unmapped areas (spelling corrected) and every #tag become free tags, each once.
    assert fields.tags == ("Bildung", "Antidiskriminierung", "Stadt", "Wohnen", "Kinder- und Jugendhilfe",
                           "Interaktive Karte", "KI Anwendung")
    assert fields.status == PracticeStatus.VERSTETIGT
    assert fields.licence == "CC-BY-4.0"
    assert fields.attribution == ("„Leerstandsmelder: Karte leerer Läden“, Projektbeschreibung von "
                                  "codefor.de, CC BY 4.0")
    assert fields.partners == ("Code for Hamburg", "Stadt Beispiel")


def test_an_unknown_status_is_left_to_the_default(tmp_path):
    text = PROJECT.replace("status: In Betrieb", "status: Unbekannt")
    assert practice_fields(read_project(write(tmp_path, "x.md", text))).status is None


def test_without_an_aim_the_first_sentence_is_the_starting_point(tmp_path):
    text = PROJECT.replace(" Ziel ist es, Eigentümer und\nGründerinnen zusammenzubringen.", "")
    text = text.replace("- https://www.leerstandsmelder.de/\n", "")
    fields = practice_fields(read_project(write(tmp_path, "x.md", text)))
    assert fields.situation == "Der Leerstandsmelder zeigt leerstehende Ladenlokale auf einer Karte."
    assert fields.implementation.startswith("Bürgerinnen und Bürger melden Leerstand mit wenigen Klicks.")
    assert "Mehr zum Projekt" not in fields.implementation
    assert credited_source(fields.implementation) == "https://codefor.de/projekte/leerstandsmelder/"


def test_brackets_in_a_title_keep_the_credit_link_whole(tmp_path):
    text = PROJECT.replace("title: Leerstandsmelder: Karte leerer Läden", "title: Karte [Beta] (Test)")
    fields = practice_fields(read_project(write(tmp_path, "x.md", text)))
    assert "[„Karte \\[Beta\\] (Test)“, Projektbeschreibung von codefor.de]" in fields.implementation
    assert credited_source(fields.implementation) == "https://codefor.de/projekte/leerstandsmelder/"
    assert credited_source("Quelle: irgendwo") is None


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Erster Satz. Zweiter Satz.", 500, "Erster Satz. Zweiter Satz."),
        ("Erster Satz. Zweiter Satz ist länger.", 20, "Erster Satz."),
        ("Ein einziger sehr langer Satz ohne Ende", 20, "Ein einziger sehr…"),
        ("Es kostet 3.5 Mio. Euro. Danach mehr.", 30, "Es kostet 3.5 Mio. Euro."),
    ],
)
def test_the_teaser_ends_at_a_sentence_boundary(text, limit, expected):
    assert teaser(text, limit) == expected
    assert len(teaser(text, limit)) <= limit


def test_tag_names_read_as_words():
    assert tag_name("Öffentlicher-Nahverkehr") == "Öffentlicher Nahverkehr"
    assert tag_name("Kinder--und-Jugendhilfe") == "Kinder- und Jugendhilfe"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("leer.md", "", "die Datei ist leer"),
        ("nur-leerzeichen.md", "  \n\n", "die Datei ist leer"),
        ("ohne-kopf.md", "# Titel\n\n## Kurzbeschreibung\nText.\n",
         "Kopfbereich (Front Matter zwischen ---) fehlt"),
        ("offen.md", "---\ntitle: Offen\n\n## Kurzbeschreibung\nText.\n", "Kopfbereich (Front Matter"),
        ("latin1.md", PROJECT.encode("latin-1", errors="replace"), "keine UTF-8-Textdatei"),
        ("ohne-titel.md", PROJECT.replace("title: Leerstandsmelder: Karte leerer Läden", "title:"),
         "Titel (title) fehlt"),
        ("ohne-text.md", PROJECT.split("## Kurzbeschreibung")[0] + "## Kurzbeschreibung\n\n## Quelle\n",
         "Abschnitt „Kurzbeschreibung“ fehlt oder ist leer"),
        ("ohne-quelle.md", PROJECT.replace("- https://codefor.de/projekte/leerstandsmelder/\n", ""),
         "Abschnitt „Quelle“ nennt keine Adresse"),
    ],
)
def test_broken_files_are_reported_with_their_name(tmp_path, name, content, reason):
    with pytest.raises(ProjectFileError) as error:
        read_project(write(tmp_path, name, content))
    assert str(error.value).startswith(f"{name}: ") and reason in str(error.value)


def test_a_directory_yields_projects_and_errors_in_name_order(tmp_path):
    write(tmp_path, "b.md", PROJECT)
    write(tmp_path, "a.md", "")
    write(tmp_path, "notiz.txt", "kein Projekt")
    items = list(read_directory(tmp_path))
    assert isinstance(items[0], ProjectFileError) and str(items[0]) == "a.md: die Datei ist leer"
    assert isinstance(items[1], Project) and items[1].file_name == "b.md"
    assert len(items) == 2


@needs_corpus
def test_every_real_corpus_file_is_read_and_mapped():
    started = time.perf_counter()
    items = list(read_directory(CORPUS_DIR))
    projects = [item for item in items if isinstance(item, Project)]
    errors = [str(item) for item in items if isinstance(item, ProjectFileError)]

    assert errors == [] and len(projects) >= 300
    assert time.perf_counter() - started < 5
    fields = [practice_fields(project) for project in projects]
    assert len({p.source_url for p in projects}) == len(projects), "sources identify practices across runs"
    assert all(f.title and f.teaser and f.situation and f.implementation for f in fields)
    assert max(len(f.teaser) for f in fields) <= 500
    assert all(f.licence == "CC-BY-4.0" and "CC BY 4.0" in f.attribution for f in fields)
    pairs = zip(fields, projects, strict=True)
    assert all(credited_source(f.implementation) == p.source_url for f, p in pairs)
    assert all(f.topics for f in fields)
    by_title = {f.title: f for f in fields}
    access_map = by_title["Access Map"]
    assert credited_source(access_map.implementation) == "https://codefor.de/projekte/accessmap/"
    assert Topic.MOBILITAET in access_map.topics and "Barrierefreiheit" in access_map.tags
    assert by_title["ADIS"].attribution == "„ADIS“, Projektbeschreibung von publicinterest.ai, CC BY 4.0"


# --- flask practices import -------------------------------------------------------------------


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def import_dir(app, directory: Path, *options: str):
    return app.test_cli_runner().invoke(args=["practices", "import", str(directory), *options])


def test_the_import_publishes_new_files_and_reports_broken_ones(app, db, tmp_path):
    write(tmp_path, "Leerstandsmelder.md", PROJECT)
    write(tmp_path, "Zweites Projekt.md", PROJECT.replace("leerstandsmelder/", "zweites/")
          .replace("title: Leerstandsmelder: Karte leerer Läden", "title: Zweites Projekt")
          .replace("status: In Betrieb", "status: Unbekannt"))
    write(tmp_path, "kaputt.md", b"\xff\xfe kein UTF-8")
    write(tmp_path, "leer.md", "")

    result = import_dir(app, tmp_path)

    assert result.exit_code == 0, result.output
    assert "Importiere 4 Dateien" in result.output
    assert "2 neu, 0 aktualisiert, 0 unverändert, 2 übersprungen" in result.output
    assert "übersprungen: kaputt.md: keine UTF-8-Textdatei" in result.output
    assert "übersprungen: leer.md: die Datei ist leer" in result.output
    assert "1 ohne bekannten Projektstand: als „Umsetzung“ eingetragen." in result.output
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == CORPUS_ORGANISATION))
    assert organisation.type == OrganisationType.WISSENSCHAFT
    title = "Leerstandsmelder: Karte leerer Läden"
    practice = db.session.scalar(sa.select(Practice).where(Practice.title == title))
    assert practice.organisation == organisation and practice.state == PracticeState.PUBLISHED
    assert practice.status == PracticeStatus.VERSTETIGT and practice.licence == "CC-BY-4.0"
    second = db.session.scalar(sa.select(Practice).where(Practice.title == "Zweites Projekt"))
    assert second.status == PracticeStatus.UMSETZUNG and second.state == PracticeState.PUBLISHED
    assert [topic.slug for topic in practice.topics] == ["digitalisierung", "oeffentlicher-raum", "wohnen"]
    assert "Kinder- und Jugendhilfe" in practice.tags
    assert [partner.name for partner in practice.partners] == ["Code for Hamburg", "Stadt Beispiel"]
    # The credit paragraph is rendered as links to the source and the licence; links stay links.
    html = practice.implementation_html
    assert ('<a href="https://codefor.de/projekte/leerstandsmelder/" rel="nofollow ugc noopener">'
            '„Leerstandsmelder: Karte leerer Läden“, Projektbeschreibung von codefor.de</a>, Lizenz: '
            '<a href="https://creativecommons.org/licenses/by/4.0/deed.de" rel="nofollow ugc noopener">'
            'CC BY 4.0</a>') in html
    assert '<a href="https://www.leerstandsmelder.de/" rel="nofollow ugc noopener">' in html


def test_a_second_run_changes_nothing_and_a_changed_file_is_updated(app, db, tmp_path):
    path = write(tmp_path, "Leerstandsmelder.md", PROJECT)
    assert import_dir(app, tmp_path).exit_code == 0
    practice = db.session.scalar(sa.select(Practice))
    before = (count(db, Practice), count(db, PracticeRevision), count(db, OutboxJob), practice.updated_at)

    again = import_dir(app, tmp_path)

    assert "0 neu, 0 aktualisiert, 1 unverändert, 0 übersprungen" in again.output
    db.session.expire_all()
    assert (count(db, Practice), count(db, PracticeRevision), count(db, OutboxJob),
            db.session.get(Practice, practice.id).updated_at) == before

    path.write_text(PROJECT.replace("mit wenigen Klicks", "mit einem Foto"), encoding="utf-8")
    changed = import_dir(app, tmp_path)

    assert "0 neu, 1 aktualisiert, 0 unverändert" in changed.output
    db.session.expire_all()
    practice = db.session.get(Practice, practice.id)
    assert "melden Leerstand mit einem Foto" in practice.implementation_html
    assert count(db, Practice) == 1 and count(db, PracticeRevision) == before[1] + 1


def test_a_file_that_cannot_be_published_is_skipped_and_leaves_no_draft(app, db, tmp_path):
    # Only an unmapped area and no Arten: no Handlungsfeld, which publishing requires.
    text = PROJECT.split("## Einsatzbereiche")[0] + "## Einsatzbereiche\n- [[Bildung]]: #Bildung\n\n" + (
        "## Quelle" + PROJECT.split("## Quelle")[1])
    write(tmp_path, "Ohne Handlungsfeld.md", text)

    result = import_dir(app, tmp_path)

    assert result.exit_code == 0
    assert "0 neu, 0 aktualisiert, 0 unverändert, 1 übersprungen" in result.output
    assert "übersprungen: Ohne Handlungsfeld.md: Vor dem Veröffentlichen fehlen noch: Handlungsfelder." in (
        result.output)
    assert count(db, Practice) == 0


def test_the_import_can_publish_into_a_chosen_organisation(app, db, tmp_path, make_organisation):
    hochschule = make_organisation(name="Hochschule Beispiel", slug="hochschule-beispiel",
                                   type=OrganisationType.WISSENSCHAFT)
    write(tmp_path, "Leerstandsmelder.md", PROJECT)

    result = import_dir(app, tmp_path, "--organisation", "hochschule-beispiel")

    assert result.exit_code == 0, result.output
    assert "nach „Hochschule Beispiel“" in result.output
    assert db.session.scalar(sa.select(Practice)).organisation_id == hochschule.id
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name == CORPUS_ORGANISATION)) is None


@pytest.mark.parametrize(
    ("options", "message"),
    [(("--organisation", "gibt-es-nicht"), "Keine Organisation mit dem Kurznamen „gibt-es-nicht“"),
     ((), "ist kein Verzeichnis")],
)
def test_the_import_stops_on_a_wrong_target(app, db, tmp_path, options, message):
    directory = tmp_path if options else tmp_path / "fehlt"
    result = import_dir(app, directory, *options)
    assert result.exit_code == 1 and message in result.output
    assert count(db, Practice) == 0


@needs_corpus
@pytest.mark.slow
def test_the_real_corpus_imports_once(app, db):
    started = time.perf_counter()
    first = import_dir(app, CORPUS_DIR)
    seconds = time.perf_counter() - started

    assert first.exit_code == 0, first.output
    created = count(db, Practice)
    assert created >= 300 and "0 übersprungen" in first.output
    assert f"{created} neu" in first.output
    assert seconds < 120

    second = import_dir(app, CORPUS_DIR)
    assert f"0 neu, 0 aktualisiert, {created} unverändert, 0 übersprungen" in second.output
    assert count(db, Practice) == created
