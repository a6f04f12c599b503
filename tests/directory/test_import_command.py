"""``flask directory import``: what it writes, what it reports, and the real files."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from stadtnetz import create_app
from stadtnetz.directory.models import Kreis, Municipality
from tests.conftest import config_for_tests

from . import samples

REAL_FILES = Path(__file__).resolve().parents[3] / "shared" / "data" / "gemeinden"


def stored(db) -> dict[str, tuple]:
    """Every stored Gemeinde's columns, keyed by AGS."""
    rows = db.session.execute(sa.select(Municipality.__table__)).all()
    return {row.ags: tuple(row) for row in rows}


def municipality(db, ags: str) -> Municipality:
    """The stored Gemeinde ``ags``, freshly loaded."""
    db.session.expire_all()
    return db.session.scalar(sa.select(Municipality).where(Municipality.ags == ags))


def test_import_reports_progress_and_summary(run_import, sample_files):
    result = run_import(*sample_files)

    assert result.exit_code == 0
    assert "Lese gv-isys.csv (GV-ISys-Gemeindeverzeichnis) …" in result.output
    assert "Lese zensus.csv (Zensus-2022-Bevölkerung) …" in result.output
    assert "5 Kreise, 4 Gemeinden, 0 Zeilen übersprungen" in result.output
    assert "Kreise: 5 neu, 0 geändert, 0 unverändert" in result.output
    assert "Gemeinden: 5 neu, 0 geändert, 0 unverändert" in result.output
    assert "Übersprungen: 0 fehlerhafte Zeilen" in result.output
    assert "Im Verzeichnis: 5 Gemeinden, davon 4 mit Einwohnerzahl · Dauer " in result.output


def test_import_stores_the_joined_facts(run_import, sample_files, db):
    run_import(*sample_files)

    luedenscheid = municipality(db, "05962032")
    assert luedenscheid.name == "Lüdenscheid, Stadt"
    assert luedenscheid.search_name == "ludenscheid, stadt"
    assert (luedenscheid.land_key, luedenscheid.kreis.name) == ("05", "Märkischer Kreis")
    # Zensus overrides GV-ISys (72,313 in 2019).
    assert (luedenscheid.population, luedenscheid.population_source) == (71_688, "zensus2022")
    assert (luedenscheid.area_km2, luedenscheid.postal_code) == (87.02, "58507")
    assert (luedenscheid.latitude, luedenscheid.longitude) == (51.21582, 7.63358)
    assert municipality(db, "12071052").name == "Drachhausen/Hochoza"


def test_gemeinde_only_in_zensus_gets_land_kreis_and_population(run_import, sample_files, db):
    run_import(*sample_files)

    eisenach = municipality(db, "16063105")
    assert eisenach.name == "Eisenach, Stadt"
    assert (eisenach.land_name, eisenach.kreis.name) == ("Thüringen", "Wartburgkreis")
    assert (eisenach.population, eisenach.population_source) == (39_931, "zensus2022")
    assert eisenach.area_km2 is None


def test_gemeinde_without_zensus_row_keeps_gvisys_population(run_import, write, db):
    gvisys = write("gv.csv", samples.gvisys_text())
    zensus = write("zensus.csv", samples.zensus_text([samples.ZENSUS_LINES[1]]))
    run_import(gvisys, zensus)

    assert (municipality(db, "05962032").population, municipality(db, "05962032").population_source) == (
        72_313, "gvisys2019",
    )
    forest = municipality(db, "01053105")
    assert (forest.population, forest.size_class, forest.kreis.name) == (None, None, "Herzogtum Lauenburg")


def test_second_run_changes_nothing(run_import, sample_files, db):
    run_import(*sample_files)
    before = stored(db)

    result = run_import(*sample_files)

    assert "Kreise: 0 neu, 0 geändert, 5 unverändert" in result.output
    assert "Gemeinden: 0 neu, 0 geändert, 5 unverändert" in result.output
    assert stored(db) == before


def test_changed_facts_are_updated(run_import, sample_files, db):
    run_import(*sample_files)
    luedenscheid = sa.update(Municipality).where(Municipality.ags == "05962032")
    db.session.execute(luedenscheid.values(population=1, name="X"))
    db.session.execute(sa.update(Kreis).where(Kreis.key == "05962").values(name="Sauerland"))
    db.session.commit()

    result = run_import(*sample_files)

    assert "Kreise: 0 neu, 1 geändert, 4 unverändert" in result.output
    assert "Gemeinden: 0 neu, 1 geändert, 4 unverändert" in result.output
    luedenscheid = municipality(db, "05962032")
    assert (luedenscheid.name, luedenscheid.search_name, luedenscheid.population) == (
        "Lüdenscheid, Stadt", "ludenscheid, stadt", 71_688,
    )
    assert luedenscheid.kreis.name == "Märkischer Kreis"


def test_a_single_file_never_erases_or_ages_known_facts(run_import, sample_files, db):
    gvisys, zensus = sample_files
    run_import(gvisys, zensus)
    before = stored(db)

    # The 2019 population does not replace the Zensus 2022 one; the Zensus spelling does not
    # replace the official name; facts the Zensus lacks (area, PLZ) stay.
    assert "0 geändert" in run_import(gvisys).output
    assert "0 geändert" in run_import(zensus).output
    assert stored(db) == before


def test_malformed_lines_are_reported_and_skipped(run_import, write, db):
    bad_line = samples.GVISYS_LINES[3].replace(",032,", ",03X,")
    bad_gvisys = samples.gvisys_text([*samples.GVISYS_LINES[:3], bad_line])
    bad_zensus = samples.zensus_text(["NW,059620032032,Lüdenscheid,viele", samples.ZENSUS_LINES[1]])

    result = run_import(write("gv.csv", bad_gvisys), write("zensus.csv", bad_zensus))

    assert result.exit_code == 0
    assert "übersprungen: gv.csv, Zeile 5: Gemeinde „03X“ ist kein 3-stelliger Schlüssel" in result.output
    assert "übersprungen: zensus.csv, Zeile 2: Einwohnerzahl „viele“ ist keine ganze Zahl" in result.output
    assert "Übersprungen: 2 fehlerhafte Zeilen" in result.output
    assert list(stored(db)) == ["11000000"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "die Datei ist leer"),
        ("name,einwohner\nLüdenscheid,71688\n", "unbekanntes Format"),
        (b"\xff\xfeL\x00", "keine UTF-8-Textdatei"),
    ],
)
def test_unusable_file_stops_the_run_before_anything_is_written(
    run_import, write, sample_files, db, content, message
):
    result = run_import(*sample_files, write("kaputt.csv", content))

    assert result.exit_code == 1
    assert "Fehler: " in result.output
    assert "kaputt.csv" in result.output
    assert message in result.output
    assert "Es wurde nichts importiert." in result.output
    assert stored(db) == {}


def test_missing_file_and_directory_are_errors(run_import, tmp_path):
    result = run_import(tmp_path / "fehlt.csv", tmp_path)

    assert result.exit_code == 1
    assert "fehlt.csv: nicht lesbar" in result.output
    assert f"{tmp_path}: nicht lesbar" in result.output


def test_without_files_the_command_says_what_it_needs(run_import):
    result = run_import()

    assert result.exit_code == 2
    assert "FILES" in result.output


def test_database_without_tables_is_a_clear_error(sample_files, tmp_path):
    empty = create_app(config_for_tests(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite3'}"))

    result = empty.test_cli_runner().invoke(args=["directory", "import", *map(str, sample_files)])

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Fehler: Die Datenbank hat den Import abgelehnt" in result.output
    assert "db upgrade" in result.output


@pytest.fixture
def real_files() -> list[Path]:
    """The real GV-ISys, Zensus and Länder files from ../shared (skipped when absent)."""
    files = sorted(REAL_FILES.glob("*.csv"))
    if len(files) < 3:
        pytest.skip(f"the real municipality files are not available in {REAL_FILES}")
    return files


def test_real_files_import_every_municipality_once(run_import, real_files, db):
    result = run_import(*real_files)

    assert result.exit_code == 0, result.output
    assert "Übersprungen: 0 fehlerhafte Zeilen" in result.output
    assert "Länderliste" in result.output
    total, with_population = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(Municipality.population))
    ).one()
    assert with_population >= 10_700
    assert total == 11_008
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Kreis)) == 401

    luedenscheid = municipality(db, "05962032")
    assert (luedenscheid.name, luedenscheid.population, luedenscheid.population_source) == (
        "Lüdenscheid, Stadt", 71_688, "zensus2022",
    )
    assert (luedenscheid.kreis.name, luedenscheid.area_km2, luedenscheid.postal_code) == (
        "Märkischer Kreis", 87.02, "58507",
    )
    berlin = municipality(db, "11000000")
    assert (berlin.population, berlin.size_class.slug, berlin.kreis_key) == (3_596_999, "grossstadt", "11000")
    assert municipality(db, "14713000").name == "Leipzig, Stadt"

    again = run_import(*real_files)
    assert "Gemeinden: 0 neu, 0 geändert, 11.008 unverändert" in again.output
    assert "Kreise: 0 neu, 0 geändert, 401 unverändert" in again.output
