"""The sample files (sjablonen) to fill in: the column names only, so an example can never be imported by mistake;
the XLSX has a second sheet explaining every column (the import reads only the first sheet)."""

from spil.imports.columns import columns
from spil.imports.models import ImportKind
from spil.web import exports


def explanation(kind: str) -> exports.Table:
    return exports.Table(
        "Toelichting",
        ["Kolom", "Verplicht", "Omschrijving", "Toelichting", "Voorbeeld"],
        [[c.name, "ja" if c.required else "nee", c.label, c.help, c.example] for c in columns(kind)],
    )


def sample(kind: str, fmt: str):
    """The sample of a kind as a download in `fmt` ("csv" or "xlsx")."""
    title = f"Sjabloon {ImportKind(kind).value}"
    header = exports.Table(ImportKind(kind).value, [column.name for column in columns(kind)], [])
    if fmt == "xlsx":
        return exports.xlsx_response(header, explanation(kind), filename=title)
    return exports.table_response(header, fmt, filename=title)
