"""A small bank of Swedish comment sentences for generated demo responses."""

from __future__ import annotations

PRAISE = (
    "Handläggaren var mycket trevlig och tog sig tid att förklara reglerna.",
    "Snabbt och smidigt, vi fick beslut inom en vecka.",
    "Bra bemötande från början till slut.",
    "Det var lätt att nå rätt person på telefon.",
    "Inspektören gav konkreta råd som vi har haft nytta av.",
    "Tydlig information på webbplatsen om vilka handlingar som behövdes.",
    "Kunnig personal som förstod hur vår verksamhet fungerar.",
    "Vi kände oss väl bemötta och lyssnade på.",
    "Bra att vi fick en fast kontaktperson genom hela ärendet.",
    "Besöket var välförberett och gav oss nya kontakter.",
    "Smidig e-tjänst, ansökan tog bara några minuter.",
    "Tack för ett gott samarbete!",
)
CRITICISM = (
    "Handläggningstiden var alldeles för lång.",
    "Svårt att få svar på mejl, vi fick vänta i flera veckor.",
    "Det var otydligt vilka handlingar som skulle lämnas in.",
    "Olika handläggare gav olika besked i samma fråga.",
    "Avgiften kändes hög i förhållande till den tid ärendet tog.",
    "Vi hade önskat mer vägledning om hur vi kunde lösa problemet.",
    "Beslutet var svårt att förstå och motiveringen kort.",
    "Det borde gå att följa ärendet digitalt.",
    "Telefontiderna passar dåligt för oss som driver restaurang.",
    "Inspektionen kom med kort varsel mitt i lunchrusningen.",
    "Mer samordning mellan förvaltningarna skulle underlätta.",
    "Kommunen behöver förenkla blanketterna.",
)
OTHER_CASES = (
    "Skyltlov",
    "Tillstånd för tillfällig försäljning",
    "Strandskyddsdispens",
    "Avfallsfrågor",
    "Parkeringstillstånd",
    "Anmälan om cistern",
)
