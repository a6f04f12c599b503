"""Parsing the municipality files into records, without a database."""

from datetime import date

import pytest

from stadtnetz.directory.importer import (
    GVISYS,
    ZENSUS,
    Catalogue,
    ImportFileError,
    KreisRecord,
    LineError,
    MunicipalityRecord,
    open_source,
    population_date,
)

from . import samples


def read(path) -> tuple[Catalogue, list[LineError]]:
    """Read one file into a fresh catalogue."""
    catalogue = Catalogue()
    return catalogue, catalogue.read(open_source(path)).errors


def errors_of(write, text: str, name: str = "kaputt.csv") -> list[str]:
    """The line errors reading ``text`` reports, as the operator sees them."""
    return [str(error) for error in read(write(name, text))[1]]


def test_gvisys_with_bom_quotes_spaces_and_decimal_commas(write):
    catalogue, errors = read(write("gv.csv", samples.gvisys_text()))

    assert errors == []
    assert catalogue.kreise["05962"] == KreisRecord("05962", "Märkischer Kreis")
    assert set(catalogue.kreise) == {"05962", "01053", "11000", "12071", "16063"}
    assert catalogue.municipalities["05962032"] == MunicipalityRecord(
        ags="05962032",
        name="Lüdenscheid, Stadt",
        population=72_313,
        population_source=GVISYS,
        area_km2=87.02,
        postal_code="58507",
        latitude=51.21582,
        longitude=7.63358,
    )
    assert catalogue.municipalities["11000000"].population == 3_669_491


def test_uninhabited_gemeinde_has_no_population(write):
    catalogue, _errors = read(write("gv.csv", samples.gvisys_text()))

    forest = catalogue.municipalities["01053105"]
    assert forest.name == "Sachsenwald (Forstgutsbez.),gemfr.Geb."
    assert (forest.population, forest.population_source, forest.postal_code) == (None, None, None)
    assert forest.area_km2 == 58.49


def test_zensus_ars_becomes_ags(write):
    catalogue, errors = read(write("zensus.csv", samples.zensus_text()))

    assert errors == []
    assert catalogue.kreise == {}
    luedenscheid = catalogue.municipalities["05962032"]
    assert (luedenscheid.name, luedenscheid.population, luedenscheid.population_source) == (
        "Lüdenscheid, Stadt", 71_688, ZENSUS,
    )
    assert luedenscheid.population_only
    assert set(catalogue.municipalities) == {"05962032", "11000000", "12071052", "16063105"}


def test_laender_file_is_recognised_and_only_checked(write):
    source = open_source(write("laender.csv", samples.LAENDER_TEXT))
    catalogue = Catalogue()
    report = catalogue.read(source)

    assert source.format.label == "Länderliste"
    assert "nichts zu importieren" in source.format.note
    assert (report.kreise, report.municipalities, report.errors) == (0, 0, [])


def test_laender_file_that_disagrees_is_reported(write):
    text = "ags_state,state_name,state\n05,Westfalen,WF\n99,Atlantis,AT\n"

    assert errors_of(write, text, "laender.csv") == [
        "laender.csv, Zeile 2: Land 05 heißt hier „Westfalen“ (WF)",
        "laender.csv, Zeile 3: unbekannter Landesschlüssel „99“",
    ]


def test_semicolon_separated_file_is_read(write):
    text = samples.zensus_text().replace(",", ";").replace('"Lüdenscheid; Stadt"', "Lüdenscheid")
    catalogue, errors = read(write("zensus.csv", text))

    assert errors == []
    assert catalogue.municipalities["05962032"].population == 71_688


def test_join_takes_zensus_population_and_directory_facts(write):
    catalogue = Catalogue()
    # The order of the files does not matter.
    catalogue.read(open_source(write("zensus.csv", samples.zensus_text())))
    catalogue.read(open_source(write("gv.csv", samples.gvisys_text())))

    luedenscheid = catalogue.municipalities["05962032"]
    assert (luedenscheid.population, luedenscheid.population_source) == (71_688, ZENSUS)
    assert (luedenscheid.area_km2, luedenscheid.postal_code) == (87.02, "58507")
    assert (luedenscheid.latitude, luedenscheid.longitude) == (51.21582, 7.63358)
    # The directory's official (bilingual) name wins over the Zensus spelling.
    assert catalogue.municipalities["12071052"].name == "Drachhausen/Hochoza"
    # Only in the Zensus: imported with what it knows.
    eisenach = catalogue.municipalities["16063105"]
    assert (eisenach.name, eisenach.population, eisenach.area_km2) == ("Eisenach, Stadt", 39_931, None)
    # Only in GV-ISys and uninhabited: no population from either file.
    assert catalogue.municipalities["01053105"].population is None
    assert len(catalogue.municipalities) == 5


def test_population_dates_order_the_sources():
    assert population_date(ZENSUS) == date(2022, 5, 15)
    assert population_date(GVISYS) < population_date(ZENSUS)
    assert population_date(None) < population_date(GVISYS)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('60,63,05,9,62,0032,03X,"Lüdenscheid, Stadt", 87.02, 72 313,,,,58507,"7,6","51,2",,,,',
         "Gemeinde „03X“ ist kein 3-stelliger Schlüssel"),
        ('60,63,99,9,62,0032,032,"Lüdenscheid, Stadt", 87.02, 72 313,,,,58507,"7,6","51,2",,,,',
         "unbekannter Landesschlüssel „99“"),
        ('60,63,05,9,62,0032,032,"Lüdenscheid, Stadt", 87.02, 72 3l3,,,,58507,"7,6","51,2",,,,',
         "Einwohnerzahl „72 3l3“ ist keine ganze Zahl"),
        ('60,63,05,9,62,0032,032,"Lüdenscheid, Stadt", 87,02, 72 313,,,,58507,"7,6","51,2",,,,',
         "21 Spalten statt 20"),
        ('60,63,05,9,62,0032,032,"Lüdenscheid, Stadt", viel, 72 313,,,,58507,"7,6","51,2",,,,',
         "Fläche „viel“ ist keine Zahl"),
        ('60,63,05,9,62,0032,032,"Lüdenscheid, Stadt", 87.02, 72 313,,,,5850,"7,6","51,2",,,,',
         "Postleitzahl „5850“ ist kein 5-stelliger Schlüssel"),
        ('60,63,05,9,62,0032,032,"Lüdenscheid, Stadt", 87.02, 72 313,,,,58507,"7,6","15,2",,,,',
         "Breitengrad „15,2“ liegt nicht in Deutschland"),
        ('60,63,05,9,62,0032,032,"Lüdenscheid, Stadt", 87.02, 72 313,,,,58507,"76,3","51,2",,,,',
         "Längengrad „76,3“ liegt nicht in Deutschland"),
        ('60,63,05,9,62,0032,032,"", 87.02, 72 313,,,,58507,"7,6","51,2",,,,', "Name fehlt"),
        ('6O,63,05,9,62,0032,032,"Lüdenscheid, Stadt", 87.02, 72 313,,,,58507,"7,6","51,2",,,,',
         "unbekannte Satzart „6O“"),
    ],
)
def test_malformed_gvisys_line_is_reported_with_its_line_number(write, line, message):
    good = samples.GVISYS_LINES[:2]
    text = samples.gvisys_text([*good, line, samples.GVISYS_LINES[6]])
    catalogue, errors = read(write("gv.csv", text))

    assert [str(error) for error in errors] == [f"gv.csv, Zeile 4: {message}"]
    # The lines around it are still imported.
    assert set(catalogue.kreise) == {"05962", "11000"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("NW,0596200320,Lüdenscheid,71688", "Regionalschlüssel „0596200320“ ist kein 12-stelliger Schlüssel"),
        ("NW,059620032032,Lüdenscheid,viele", "Einwohnerzahl „viele“ ist keine ganze Zahl"),
        ("NW,059620032032,Lüdenscheid,71 688,1", "5 Spalten statt 4"),
        ("BY,059620032032,Lüdenscheid,71688", "Land „BY“ passt nicht zum Schlüssel 059620032032"),
        ("NW,059620032032,Lüdenscheid", "3 Spalten statt 4"),
    ],
)
def test_malformed_zensus_line_is_reported_with_its_line_number(write, line, message):
    text = samples.zensus_text([samples.ZENSUS_LINES[1], line])

    assert errors_of(write, text) == [f"kaputt.csv, Zeile 3: {message}"]


def test_duplicate_gemeinde_in_one_file_is_reported(write):
    text = samples.zensus_text([samples.ZENSUS_LINES[0], samples.ZENSUS_LINES[1], samples.ZENSUS_LINES[0]])

    assert errors_of(write, text) == [
        "kaputt.csv, Zeile 4: Gemeindeschlüssel 05962032 doppelt (zuerst Zeile 2)"
    ]


def test_unparseable_csv_is_a_line_error_and_reading_goes_on(write):
    text = samples.zensus_text([f'NW,059620032032,"{"x" * 200_000}",1', samples.ZENSUS_LINES[1]])
    catalogue, errors = read(write("zensus.csv", text))

    assert len(errors) == 1
    assert str(errors[0]).startswith("zensus.csv, Zeile 2: kein gültiges CSV")
    assert "11000000" in catalogue.municipalities


def test_blank_lines_are_skipped_quietly(write):
    text = samples.zensus_text([samples.ZENSUS_LINES[0], "", ",,,", samples.ZENSUS_LINES[1]])
    catalogue, errors = read(write("zensus.csv", text))

    assert errors == []
    assert len(catalogue.municipalities) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "die Datei ist leer"),
        ("\n\nstate,ags,place,population\n", "die Datei ist leer"),
        ("name,einwohner\nLüdenscheid,71688\n", "unbekanntes Format (Kopfzeile „name,einwohner“)"),
        ("Lüdenscheid".encode("latin-1"), "keine UTF-8-Textdatei"),
    ],
)
def test_unusable_file_is_a_file_error(write, content, message):
    path = write("datei.csv", content)

    with pytest.raises(ImportFileError, match=r"datei\.csv") as raised:
        open_source(path)
    assert message in str(raised.value)


def test_missing_file_is_a_file_error(tmp_path):
    with pytest.raises(ImportFileError, match="nicht lesbar"):
        open_source(tmp_path / "fehlt.csv")
