"""Small excerpts of the real files (facts only), for tests that must not depend on ../shared."""

GVISYS_HEADER = (
    "satzart,textkennzeichen,land,rb,kreis,vb,gemeinde,gemeindename,flaeche,bevoelkerung,maennlich,"
    "weiblich,jekm2,postleitzahl,laengengrad,breitengrad,schluessel,bezeichnung,"
    "verstaedterungschluessel,verstaedterungbezeichnung"
)

#: Lines 2 to 12 of a GV-ISys file (the header is line 1): a Land, Kreise, a Gemeindeverband
#: and four Gemeinden, one uninhabited. Berlin's population has two thousands separators.
GVISYS_LINES = [
    "10,,05,,,,,Nordrhein-Westfalen,,,,,,,,,,,,",
    "40,44,05,9,62,,,Märkischer Kreis,,,,,,,,,,,,",
    '50,50,05,9,62,0032,,"Lüdenscheid, Stadt",,,,,,,,,,,,',
    '60,63,05,9,62,0032,032,"Lüdenscheid, Stadt", 87.02, 72 313, 35 506, 36 807,  831,58507,'
    '"7,63358","51,21582",H05,Sauerland,01,dicht besiedelt',
    "40,43,01,0,53,,,Herzogtum Lauenburg,,,,,,,,,,,,",
    '60,66,01,0,53,9105,105,"Sachsenwald (Forstgutsbez.),gemfr.Geb.", 58.49,  0,  0,  0,  0,,'
    '"10,373262","53,530995",F04,übrig. Schleswig-Holstein,03,gering besiedelt',
    '40,41,11,0,00,,,"Berlin, Stadt",,,,,,,,,,,,',
    '60,61,11,0,00,0000,000,"Berlin, Stadt", 891.12,3 669 491,1 804 273,1 865 218, 4 118,10178,'
    '"13,405538","52,51767",XBE,Berlin,01,dicht besiedelt',
    "40,44,12,0,71,,,Spree-Neiße,,,,,,,,,,,,",
    '60,64,12,0,71,5107,052,Drachhausen/Hochoza, 38.40,  786,  415,  371,  20,03185,'
    '"14,323575","51,890673",A08,Spreewald,03,gering besiedelt',
    "40,44,16,0,63,,,Wartburgkreis,,,,,,,,,,,,",
]

ZENSUS_HEADER = "state,ags,place,population"

#: Lüdenscheid, Berlin and Drachhausen as in the Zensus; Eisenach joined the Wartburgkreis in
#: 2021 and has no GV-ISys 2019 row under this key.
ZENSUS_LINES = [
    'NW,059620032032,"Lüdenscheid, Stadt",71688',
    'BE,110000000000,"Berlin, Stadt",3596999',
    "BB,120715107052,Drachhausen,762",
    'TH,160630105105,"Eisenach, Stadt",39931',
]

LAENDER_TEXT = "ags_state,state_name,state\n01,Schleswig-Holstein,SH\n05,Nordrhein-Westfalen,NW\n"


def gvisys_text(lines: list[str] = GVISYS_LINES, bom: bool = True) -> str:
    """A GV-ISys file with ``lines`` below the header."""
    return ("\ufeff" if bom else "") + "\n".join([GVISYS_HEADER, *lines]) + "\n"


def zensus_text(lines: list[str] = ZENSUS_LINES) -> str:
    """A Zensus 2022 population table with ``lines`` below the header."""
    return "\n".join([ZENSUS_HEADER, *lines]) + "\n"
