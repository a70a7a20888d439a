"""PDF downloads: a Django template rendered by WeasyPrint with its styles inline and system fonts.

Nothing is fetched: the URL fetcher allows no protocol, so a template can never reach the network or the file
system. WeasyPrint needs the system libraries Pango and HarfBuzz (Debian: libpango-1.0-0, libpangoft2-1.0-0).
"""

from django.http import HttpResponse
from django.template.loader import render_to_string

from spil.web.exports import download, safe_filename


def pdf_bytes(template: str, context: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def pdf_response(title: str, template: str, context: dict) -> HttpResponse:
    """The rendered template as a PDF download named after `title` (made safe: ASCII, no spaces)."""
    return download(pdf_bytes(template, context), "application/pdf", safe_filename(title, "pdf"))
