"""The endpoints. Each parses input, fetches through the access policy (invisible: 404), calls a service and
writes the processing log for the personal data it shows, in the request's transaction (see `base`)."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, permissions
from rest_framework.authentication import get_authorization_header
from rest_framework.response import Response
from rest_framework.views import APIView

from spil.access import policy
from spil.access.processing import log_case, log_cases_shown, log_report, log_reports_shown
from spil.api import idempotency, serializers, services
from spil.api.base import ApiView, etag, expected_version
from spil.api.permissions import MayQueryZsm
from spil.api.problems import problem
from spil.api.schema import ETAG, IDEMPOTENCY_KEY, IF_MATCH, PAGINATION, problems
from spil.cases.models import Case
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import Channel, Enrichment, Report, ReportStatus
from spil.logbook.models import Action as LogAction
from spil.plans import services as plan_services
from spil.plans.models import Action, ActionStatus

NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description="Het meldingnummer, bijvoorbeeld M-2026-000123.")
ACTION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Het nummer van de actie (`id` in de lijst).")
ENRICHMENT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Het nummer van het verrijkingsverzoek (`id` in de lijst).")


# ---------------------------------------------------------------------------------------------------- meldingen


class ReportMixin:
    serializer_class = serializers.ReportOut

    def get_queryset(self):
        opened = Case.objects.filter(report=OuterRef("pk"))
        return (
            policy.visible_client_reports(Report.objects.all(), self.request.user)
            .select_related("house")
            .annotate(case_opened=Exists(opened))
            .order_by("-created_at", "-pk")
        )


class ReportList(ReportMixin, ApiView):
    @extend_schema(
        operation_id="meldingen_lijst",
        summary="Ingediende meldingen",
        description="De meldingen die deze koppeling zelf heeft ingediend, nieuwste eerst, met hun status. Geen inhoud en geen personen.",
        tags=["Meldingen"],
        parameters=[
            OpenApiParameter("status", str, enum=ReportStatus.values, description="Alleen meldingen met deze status."),
            *PAGINATION,
        ],
        responses={200: OpenApiResponse(serializers.ReportOut(many=True), description="Een pagina meldingen."), **problems(404)},
    )
    def get(self, request):
        reports = self.get_queryset()
        if wanted := request.query_params.get("status"):
            reports = reports.filter(status=wanted)
        page = self.paginate_queryset(reports.prefetch_related("persons"))
        log_reports_shown(LogAction.READ, page, request.user)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="melding_indienen",
        summary="Melding indienen",
        description=(
            "Dien een melding in bij een Zorg- en Veiligheidshuis (`huis`) of bij het centrale loket van een regio (`intakeregio`), "
            "met de personen om wie het gaat. De melding krijgt kanaal 'Systeemkoppeling' en uw organisatie als melder. Het antwoord is "
            "de status van de melding; volg die met `GET /meldingen/{nummer}`. Gebruik `Idempotency-Key` om veilig opnieuw te kunnen versturen."
        ),
        tags=["Meldingen"],
        parameters=[IDEMPOTENCY_KEY],
        request=serializers.ReportIn,
        responses={
            201: OpenApiResponse(
                serializers.ReportOut,
                description="De melding is geregistreerd (of: eerder, bij een herhaald verzoek met dezelfde Idempotency-Key; dan met de header Idempotent-Replayed).",
            ),
            **problems(400, 403, 409, 415, 422),
        },
    )
    def post(self, request):
        client = request.auth
        key = request.headers.get(idempotency.HEADER)
        with transaction.atomic():  # a refused or invalid submission releases its key again
            claim = idempotency.claim(client, key, request.data) if key is not None else None
            if claim is not None and claim.replay:
                record = claim.record
                return Response(
                    record.response, status=record.status_code, headers={"Location": record.location, "Idempotent-Replayed": "true"}
                )
            incoming = serializers.ReportIn(data=request.data)
            incoming.is_valid(raise_exception=True)
            d = incoming.validated_data
            fields = {
                "source_partner": client.partner,
                "reporter_name": d["melder_naam"],
                "reporter_contact": d.get("melder_bereikbaarheid", ""),
                "channel": Channel.SYSTEM,
                "received_on": clock.today(),
                "reason": d["aanleiding"],
                "request": d["hulpvraag"],
                "requested_case_type": d["thema"],
                "form": d["formulier"],
                "criminal_law": d["strafrechtelijk_kader"],
            }
            report = intake_services.register_report(
                actor=request.user,
                fields=fields,
                persons=[serializers.person_data(person) for person in d["personen"]],
                house=d.get("huis"),
                region=d.get("intakeregio"),
                details=d["gegevens"],
                routing_reason=d.get("routering_toelichting", ""),
            )
            report.case_opened = False
            data = serializers.ReportOut(report).data
            location = reverse("api:report-detail", args=[report.number])
            if claim is not None:
                claim.store(201, data, location)
        return Response(data, status=201, headers={"Location": location})


class ReportDetail(ReportMixin, ApiView):
    @extend_schema(
        operation_id="melding_status",
        summary="Status van een melding",
        description="Nummer, status, ontvangstdatum, meldformulier, huis en of er een casus is geopend. Alleen voor meldingen van deze koppeling.",
        tags=["Meldingen"],
        parameters=[NUMBER],
        responses={200: OpenApiResponse(serializers.ReportOut, description="De status van de melding."), **problems(404)},
    )
    def get(self, request, number):
        report = get_object_or_404(self.get_queryset(), number=number)
        log_report(LogAction.READ, report, request.user)
        return Response(self.get_serializer(report).data)


# ---------------------------------------------------------------------------------------------------- acties


class ActionMixin:
    serializer_class = serializers.ActionOut

    def get_queryset(self):
        return (
            policy.visible_client_actions(Action.objects.all(), self.request.user)
            .select_related("plan__case__case_type", "life_domain", "partner")
            .order_by("due_on", "pk")
        )

    def get_action(self, pk) -> Action:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def detail_response(self, action: Action, status: int = 200) -> Response:
        data = serializers.ActionDetailOut(action).data
        return Response(data, status=status, headers={"ETag": etag(action)})


class ActionList(ActionMixin, ApiView):
    @extend_schema(
        operation_id="acties_lijst",
        summary="Acties van uw organisatie",
        description=(
            "De acties uit plannen van aanpak die aan uw organisatie zijn toegewezen, in geaccepteerde en lopende plannen van open casussen "
            "(niet van afgeschermde aanpakken), eerstvolgende einddatum eerst. Geen andere gegevens uit het dossier."
        ),
        tags=["Acties"],
        parameters=[OpenApiParameter("status", str, enum=ActionStatus.values, description="Alleen acties met deze status."), *PAGINATION],
        responses={200: OpenApiResponse(serializers.ActionOut(many=True), description="Een pagina acties."), **problems(404)},
    )
    def get(self, request):
        actions = self.get_queryset()
        if wanted := request.query_params.get("status"):
            actions = actions.filter(status=wanted)
        page = self.paginate_queryset(actions.prefetch_related("plan__case__persons"))
        log_cases_shown(LogAction.READ, [action.plan.case for action in page], request.user)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ActionDetail(ActionMixin, ApiView):
    @extend_schema(
        operation_id="actie_ophalen",
        summary="Eén actie met haar voortgang",
        description="De actie en eerdere voortgangsmeldingen. De ETag in het antwoord is nodig (als If-Match) om voortgang te melden.",
        tags=["Acties"],
        responses={200: OpenApiResponse(serializers.ActionDetailOut, description="De actie, met de ETag in de header."), **problems(404)},
        parameters=[ACTION_ID, ETAG],
    )
    def get(self, request, pk):
        action = self.get_action(pk)
        log_case(LogAction.READ, action.plan.case, request.user)
        return self.detail_response(action)


class ActionProgress(ActionMixin, ApiView):
    serializer_class = serializers.ProgressIn

    @extend_schema(
        operation_id="actie_voortgang_melden",
        summary="Voortgang van een actie melden",
        description=(
            "Meld status en resultaat van een actie van uw organisatie. Stuur de ETag van de actie mee als If-Match: zonder If-Match "
            "volgt 428, met een verouderde ETag 412 (haal de actie dan opnieuw op). Bij niet_mogelijk en niet_uitgevoerd is een "
            "toelichting in `resultaat` verplicht."
        ),
        tags=["Acties"],
        parameters=[ACTION_ID, IF_MATCH, ETAG],
        request=serializers.ProgressIn,
        responses={
            200: OpenApiResponse(serializers.ActionDetailOut, description="De voortgang is vastgelegd; de nieuwe ETag staat in de header."),
            **problems(400, 403, 404, 409, 412, 415, 428),
        },
    )
    def post(self, request, pk):
        action = self.get_action(pk)
        version = expected_version(request, action)
        incoming = serializers.ProgressIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        d = incoming.validated_data
        plan_services.report_progress(action, actor=request.user, status=d["status"], result=d["resultaat"], expected_version=version)
        return self.detail_response(action)


# ---------------------------------------------------------------------------------------------------- verrijking


class EnrichmentMixin:
    serializer_class = serializers.EnrichmentOut

    def get_queryset(self):
        return policy.visible_enrichment_requests(Enrichment.objects.all(), self.request.user).select_related("report__house", "partner")


class EnrichmentList(EnrichmentMixin, ApiView):
    @extend_schema(
        operation_id="verrijkingsverzoeken_lijst",
        summary="Open verrijkingsverzoeken",
        description=(
            "De vragen die een Zorg- en Veiligheidshuis aan uw organisatie stelde over een melding en die nog open staan: de vraag en het "
            "meldingnummer, niet de personen of de aanleiding van de melding."
        ),
        tags=["Verrijking"],
        parameters=PAGINATION,
        responses={200: OpenApiResponse(serializers.EnrichmentOut(many=True), description="Een pagina open verzoeken."), **problems(404)},
    )
    def get(self, request):
        open_requests = (
            self.get_queryset().filter(answered_on__isnull=True).exclude(report__status=ReportStatus.TRIAGED).order_by("requested_on", "pk")
        )
        page = self.paginate_queryset(open_requests.prefetch_related("report__persons"))
        log_reports_shown(LogAction.READ, list({e.report_id: e.report for e in page}.values()), request.user)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class EnrichmentAnswer(EnrichmentMixin, ApiView):
    serializer_class = serializers.EnrichmentAnswerIn

    @extend_schema(
        operation_id="verrijkingsverzoek_beantwoorden",
        summary="Een verrijkingsverzoek beantwoorden",
        description="Het antwoord komt bij de melding en in haar tijdlijn. Eén keer per vraag, en niet meer als de melding al gewogen is.",
        tags=["Verrijking"],
        parameters=[ENRICHMENT_ID],
        request=serializers.EnrichmentAnswerIn,
        responses={
            200: OpenApiResponse(serializers.EnrichmentOut, description="Het antwoord is vastgelegd."),
            **problems(400, 403, 404, 409, 415),
        },
    )
    def post(self, request, pk):
        enrichment = get_object_or_404(self.get_queryset(), pk=pk)
        incoming = serializers.EnrichmentAnswerIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        answered = services.answer_enrichment_as_partner(enrichment, actor=request.user, summary=incoming.validated_data["antwoord"])
        return Response(serializers.EnrichmentOut(answered).data)


# ---------------------------------------------------------------------------------------------------- ZSM


class ZsmQuestion(ApiView):
    permission_classes = [*ApiView.permission_classes, MayQueryZsm]
    serializer_class = serializers.ZsmQuestionIn

    @extend_schema(
        operation_id="zsm_bevraging",
        summary="ZSM: is deze persoon bekend bij een Zorg- en Veiligheidshuis?",
        description=(
            "Hit/no-hit op BSN (in de body, nooit in de URL): alleen of de persoon bekend is in een lopende casus, of er een PGA loopt, "
            "en wie u kunt bellen. Geen inhoud en geen casusnummers; afgeschermde aanpakken geven nooit een hit. Alleen voor koppelingen "
            "van het Openbaar Ministerie. Elke bevraging staat in het logboek van de betrokken casussen."
        ),
        tags=["ZSM"],
        request=serializers.ZsmQuestionIn,
        responses={200: OpenApiResponse(serializers.ZsmAnswerOut, description="Hit of no-hit."), **problems(400, 403, 415)},
    )
    def post(self, request):
        incoming = serializers.ZsmQuestionIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        answer = services.zsm_question(actor=request.user, bsn=incoming.validated_data["bsn"])
        return Response({"bekend": answer.known, "pga_actief": answer.pga_active, "contact": answer.contact})


class ZsmDecisions(ApiView):
    permission_classes = [*ApiView.permission_classes, MayQueryZsm]
    serializer_class = serializers.ZsmDecisionIn

    @extend_schema(
        operation_id="zsm_beslissing",
        summary="ZSM: beslissing over een verdachte die bekend is bij het ZVH",
        description=(
            "De beslissing komt in de tijdlijn van elke lopende casus van de persoon (niet bij afgeschermde aanpakken). "
            "404 als de persoon niet bekend is in een lopende casus. Alleen voor koppelingen van het Openbaar Ministerie."
        ),
        tags=["ZSM"],
        request=serializers.ZsmDecisionIn,
        responses={
            201: OpenApiResponse(serializers.ZsmDecisionOut, description="De beslissing is vastgelegd."),
            **problems(400, 403, 404, 415),
        },
    )
    def post(self, request):
        incoming = serializers.ZsmDecisionIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        d = incoming.validated_data
        services.record_zsm_decision(
            actor=request.user, bsn=d["bsn"], decision=d["beslissing"], reference=d["parketnummer"], decided_on=d["datum"]
        )
        return Response({"verwerkt": True}, status=201)


# ---------------------------------------------------------------------------------------------------- token, fall-back


class Token(ApiView):
    """OAuth2 client credentials (RFC 6749 section 4.4): a client secret buys a short-lived access token."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []
    parser_classes = [parsers.FormParser, parsers.JSONParser]
    serializer_class = serializers.TokenIn

    @extend_schema(
        operation_id="token",
        summary="Toegangstoken (OAuth2 client credentials)",
        description=(
            "Wissel client-id en client secret (in de body of met HTTP Basic-authenticatie) in voor een kortlevend toegangstoken. "
            "Gebruik dat als `Authorization: Bearer <token>`."
        ),
        tags=["Authenticatie"],
        auth=[],
        request={"application/x-www-form-urlencoded": serializers.TokenIn, "application/json": serializers.TokenIn},
        responses={200: OpenApiResponse(serializers.TokenOut, description="Een toegangstoken."), **problems(400, 415)},
    )
    def post(self, request):
        incoming = serializers.TokenIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        client_id, client_secret = _basic_credentials(request) or (
            incoming.validated_data.get("client_id", ""),
            incoming.validated_data.get("client_secret", ""),
        )
        found = services.exchange_client_credentials(client_id, client_secret) if client_id and client_secret else None
        if found is None:
            return problem(
                401,
                "Onbekende client-id of onjuist client secret.",
                instance=request.path,
                error="invalid_client",
                headers={"WWW-Authenticate": 'Basic realm="Spil partner-API"'},
            )
        client, token = found
        if token is None:
            return problem(401, "Deze koppeling is niet actief.", instance=request.path, error="invalid_client")
        services.mark_used(client)
        body = {"access_token": token.token, "token_type": "Bearer", "expires_in": token.expires_in}
        return Response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _basic_credentials(request) -> tuple[str, str] | None:
    import base64
    import binascii
    from urllib.parse import unquote_plus

    header = get_authorization_header(request).split()
    if len(header) != 2 or header[0].lower() != b"basic":
        return None
    try:
        client_id, _, client_secret = base64.b64decode(header[1]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return unquote_plus(client_id), unquote_plus(client_secret)


class NotFound(APIView):
    """Any other address under /api/v1/: 404 as problem+json, not the web pages' HTML."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound("Dit adres bestaat niet in de partner-API. Zie /api/v1/schema.")
