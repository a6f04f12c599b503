"""The domain's synonyms: a maintained list shipped here, extended by admins (``SynonymGroup``).

A query word (or a run of query words) that belongs to a group also finds every other entry of
the group: "Zwischennutzung" finds "Pop-up", "Leerstand" finds "leerstehende Ladenlokale". The
expansion happens at query time, so a new group works at once, without reindexing.
"""

from collections.abc import Iterable

from .analysis import words
from .folding import fold

#: Groups of words and phrases that mean the same in inner-city work. Keep them sorted by topic.
DEFAULT_GROUPS: tuple[tuple[str, ...], ...] = (
    # Leerstand & Ansiedlung
    ("Leerstand", "leerstehende Ladenlokale", "Ladenleerstand", "Leerstände"),
    ("Leerstandsmanagement", "Flächenmanagement", "Ansiedlungsmanagement"),
    ("Ansiedlung", "Neuansiedlung", "Betriebsansiedlung"),
    ("Ladenlokal", "Geschäftslokal", "Gewerbeeinheit", "Verkaufsfläche"),
    ("Leerstandskataster", "Leerstandsmelder", "Flächenkataster"),
    # Handel & Gastronomie
    ("Einzelhandel", "Handel", "Geschäfte"),
    ("Gastronomie", "Gaststätten", "Restaurants", "Cafés"),
    ("Wochenmarkt", "Bauernmarkt", "Frischemarkt"),
    ("Onlinehandel", "E-Commerce", "Internethandel", "Versandhandel"),
    ("lokaler Onlinemarktplatz", "digitaler Marktplatz", "Stadtmarktplatz"),
    ("Gutschein", "Stadtgutschein", "Citygutschein"),
    ("verkaufsoffener Sonntag", "Sonntagsöffnung"),
    # Kultur & Zwischennutzung
    ("Zwischennutzung", "Pop-up", "Popup-Store", "temporäre Nutzung", "Pop-up-Store"),
    ("Kreativwirtschaft", "Kultur- und Kreativwirtschaft", "Kreativszene"),
    ("Coworking", "Co-Working", "Gemeinschaftsbüro"),
    ("Dritter Ort", "Begegnungsort", "Treffpunkt"),
    # Innenstadt & öffentlicher Raum
    ("Innenstadt", "Stadtzentrum", "City", "Stadtmitte", "Ortskern", "Zentrum"),
    ("Fußgängerzone", "Fußgängerbereich", "Einkaufsstraße"),
    ("öffentlicher Raum", "Stadtraum", "Freiraum"),
    ("Aufenthaltsqualität", "Verweilqualität"),
    ("Stadtmöblierung", "Stadtmobiliar", "Sitzbänke"),
    ("Quartier", "Stadtteil", "Viertel", "Kiez"),
    ("Citymanagement", "Innenstadtmanagement", "Stadtmarketing", "Zentrenmanagement"),
    ("Business Improvement District", "BID", "Standortgemeinschaft", "Immobilien- und Standortgemeinschaft"),
    # Klimaanpassung & Umwelt
    ("Klimaanpassung", "Hitzeschutz", "Klimaresilienz", "Hitzevorsorge"),
    ("Stadtgrün", "Begrünung", "grüne Infrastruktur", "Grünflächen"),
    ("Fassadenbegrünung", "grüne Fassade", "vertikales Grün"),
    ("Schwammstadt", "Regenwassermanagement", "Entsiegelung"),
    ("Klimaschutz", "CO2-Reduktion", "Treibhausgasminderung"),
    # Mobilität
    ("Mobilität", "Verkehr", "Verkehrswende"),
    ("Radverkehr", "Fahrradverkehr", "Radfahren"),
    ("Lastenrad", "Lastenfahrrad", "Cargobike"),
    ("ÖPNV", "Nahverkehr", "öffentlicher Personennahverkehr", "Bus und Bahn"),
    ("Parken", "Parkraum", "Parkplätze", "Parkraummanagement"),
    ("Verkehrsberuhigung", "verkehrsberuhigter Bereich", "Begegnungszone"),
    # Wohnen
    ("Wohnen", "Wohnraum", "Wohnungen"),
    ("Umnutzung", "Umwidmung", "Nutzungsänderung"),
    # Digitalisierung
    ("Digitalisierung", "digitale Transformation", "Smart City"),
    ("Open Data", "offene Daten", "Datenportal"),
    ("Frequenzmessung", "Passantenzählung", "Besucherzählung", "Passantenfrequenz"),
    ("WLAN", "WiFi", "freies WLAN", "Hotspot"),
    ("App", "Smartphone-App", "mobile Anwendung"),
    # Beteiligung
    ("Beteiligung", "Bürgerbeteiligung", "Partizipation", "Mitwirkung"),
    ("Workshop", "Werkstatt", "Zukunftswerkstatt"),
    ("Ehrenamt", "ehrenamtliches Engagement", "Freiwillige"),
    ("Eigentümer", "Immobilieneigentümer", "Hauseigentümer", "Vermieter"),
    # Förderung & Finanzierung
    ("Förderung", "Förderprogramm", "Zuschuss", "Fördermittel"),
    ("Städtebauförderung", "Stadtumbau", "Sanierungsgebiet"),
    ("Verfügungsfonds", "Innenstadtfonds", "Quartiersfonds"),
    ("Zukunftsfähige Innenstädte und Zentren", "ZIZ"),
    ("Kosten", "Budget", "Ausgaben", "Finanzierung"),
    # Verwaltung
    ("Kommune", "Gemeinde", "Stadtverwaltung", "Kommunalverwaltung"),
    ("Wirtschaftsförderung", "Standortmarketing", "Standortförderung"),
)


def key(phrase: str) -> tuple[str, ...]:
    """The lookup key of a phrase: its folded words ("Pop-up" and "pop up" are the same)."""
    return tuple(fold(word) for word in words(phrase))


class SynonymMap:
    """Lookup from a run of folded words to the phrases of its group(s)."""

    def __init__(self, groups: Iterable[Iterable[str]]):
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        self.longest = 1
        for group in groups:
            phrases = [phrase.strip() for phrase in group if key(phrase)]
            for phrase in phrases:
                entry = self._phrases.setdefault(key(phrase), [])
                entry.extend(other for other in phrases if other not in entry)
                self.longest = max(self.longest, len(key(phrase)))

    def alternatives(self, folded_words: tuple[str, ...]) -> list[str]:
        """Every phrase meaning the same as ``folded_words`` (itself included), or []."""
        return self._phrases.get(folded_words, [])
