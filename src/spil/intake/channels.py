"""Meldformulieren: the general form and the specialised channels. (Scaffold: only the general form yet.)"""

from spil.core.errors import DomainError

GENERAL = "algemeen"


def clean_details(form: str, details: dict) -> dict:
    if form != GENERAL:
        raise DomainError(f"Onbekend meldformulier: {form}.")
    return {}
