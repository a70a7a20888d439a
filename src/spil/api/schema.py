"""OpenAPI pieces shared by the views: the problem+json responses and the headers."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from spil.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from spil.api.problems import CONTENT_TYPE, PROBLEMS


@extend_schema_serializer(component_name="OngeldigVeld")
class InvalidParam(serializers.Serializer):
    """Een veld met een ongeldige waarde."""

    name = serializers.CharField(help_text="Het veld, bijvoorbeeld `personen[0].bsn`.")
    reason = serializers.CharField(help_text="Waarom de waarde niet goed is.")


@extend_schema_serializer(component_name="Probleem")
class Problem(serializers.Serializer):
    """Een fout, als RFC 9457 problem details, in het Nederlands."""

    type = serializers.CharField(help_text="Soort probleem, bijvoorbeeld urn:spil:api:probleem:niet-gevonden.")
    title = serializers.CharField(help_text="Korte omschrijving van de soort.")
    status = serializers.IntegerField(help_text="De HTTP-statuscode.")
    detail = serializers.CharField(help_text="Wat er in dit geval mis is.")
    instance = serializers.CharField(help_text="Het pad van het verzoek.")


@extend_schema_serializer(component_name="Validatieprobleem")
class ValidationProblem(Problem):
    """Ongeldige invoer, met per veld de reden."""

    invalid_params = InvalidParam(many=True, help_text="De ongeldige velden.")

    def get_fields(self):
        fields = super().get_fields()
        fields["invalid-params"] = fields.pop("invalid_params")
        return fields


EXPLANATIONS = {
    400: "Ongeldige invoer; `invalid-params` noemt elk veld met de reden.",
    401: "Geen, een onbekend, verlopen of ingetrokken token, of een inactieve koppeling.",
    403: "De koppeling mag dit niet.",
    404: "Bestaat niet, of is niet zichtbaar voor deze koppeling.",
    409: "Kan niet in de huidige toestand (bijvoorbeeld: de melding is al gewogen).",
    412: "De ETag in If-Match is niet meer de actuele: een ander heeft intussen gewijzigd.",
    422: "De Idempotency-Key is al gebruikt voor een ander verzoek, of is ongeldig.",
    428: "If-Match ontbreekt.",
    429: "Te veel verzoeken; probeer het na Retry-After seconden opnieuw.",
}


def problems(*codes: int) -> dict:
    """Responses for these status codes, plus 401 and 429 that every authenticated operation can give."""
    result = {}
    for code in sorted({*codes, 401, 429}):
        result[(code, CONTENT_TYPE)] = OpenApiResponse(
            ValidationProblem if code == 400 else Problem, description=EXPLANATIONS.get(code, PROBLEMS[code][1])
        )
    return result


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="De ETag van de actie zoals u die het laatst ophaalde."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Een unieke sleutel per melding (bijvoorbeeld een UUID). Een herhaald verzoek met dezelfde sleutel en inhoud geeft het "
    "eerste antwoord terug en maakt nooit een tweede melding; dezelfde sleutel met andere inhoud geeft 422. Sleutels worden 7 dagen bewaard.",
)
ETAG = OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200], description="Versie van de actie, voor If-Match.")
PAGINATION = [
    OpenApiParameter("page", int, description="Het paginanummer, vanaf 1."),
    OpenApiParameter("page_size", int, description="Aantal resultaten per pagina (standaard 25, hoogstens 100)."),
]
