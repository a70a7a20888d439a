"""CSV and PDF downloads of the privacy screens.

CSV: UTF-8 with a byte-order mark and `;` between fields, the way Dutch Excel opens a file by double-click
(its list separator is `;` because the decimal separator is `,`). Cells that a spreadsheet would read as a formula
are prefixed with `'` (CSV injection: register texts are edited in the admin).

PDF: a Django template rendered by WeasyPrint with its styles inline and system fonts; nothing is fetched, so a
template can never reach the network or the file system.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.template.loader import render_to_string

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    return _download(csv_bytes(header, rows), "text/csv; charset=utf-8", filename)


def pdf_bytes(template: str, context: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    # No protocol is allowed: images, stylesheets or fonts named in the HTML are never fetched.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def pdf_response(filename: str, template: str, context: dict) -> HttpResponse:
    return _download(pdf_bytes(template, context), "application/pdf", filename)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
