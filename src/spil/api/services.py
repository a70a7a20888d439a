"""Business rules of the partner API: managing machine clients and their credentials, and what only a partner's
system does (answering an enrichment question, the ZSM hit/no-hit question and ZSM decisions).

Submitting a melding and reporting progress on an action go through the same services as the web pages
(`intake.services.register_report`, `plans.services.report_progress`), with the client's technical user as actor.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from spil.access import policy
from spil.access.processing import log_case, log_report
from spil.api.models import ApiClient, Credential, CredentialKind, digest
from spil.core import clock
from spil.core.errors import DomainError, IllegalTransition
from spil.intake import hits
from spil.intake.models import Enrichment, ReportStatus
from spil.logbook.models import Action, AuditEvent, ProcessingActivity
from spil.logbook.services import audit, log_processing
from spil.organisations.models import Membership, Role
from spil.persons.bsn import bsn_hash
from spil.persons.models import Person
from spil.timeline.models import EventKind
from spil.timeline.services import record

TOKEN_PREFIX = "spil_"
ZSM_ACTIVITY = "zsm-via"


# ---------------------------------------------------------------------------------------------------- clients


@transaction.atomic
def create_client(*, name: str, client_id: str, partner, houses, rate_limit_per_minute: int = 120) -> ApiClient:
    """A client with its technical user (no password: it can never log in to the web pages) and a `koppeling`
    membership naming the partner in each house it may submit to."""
    if not houses:
        raise DomainError("Kies minstens één Zorg- en Veiligheidshuis voor de koppeling.")
    user = get_user_model()(username=f"koppeling-{client_id}", first_name=name[:150], last_name="(koppeling)")
    user.set_unusable_password()
    user.save()
    client = ApiClient.objects.create(
        name=name, client_id=client_id, partner=partner, user=user, rate_limit_per_minute=rate_limit_per_minute
    )
    set_houses(client, houses)
    return client


@transaction.atomic
def set_houses(client: ApiClient, houses) -> None:
    """The houses the client works with: one `koppeling` membership (naming the partner) per house."""
    wanted = {house.pk: house for house in houses}
    memberships = Membership.objects.filter(user=client.user, role=Role.API_CLIENT)
    memberships.exclude(house__in=wanted).delete()
    memberships.exclude(partner=client.partner).update(partner=client.partner)
    present = set(memberships.values_list("house_id", flat=True))
    Membership.objects.bulk_create(
        Membership(user=client.user, house=house, role=Role.API_CLIENT, partner=client.partner)
        for pk, house in wanted.items()
        if pk not in present
    )


def client_houses(client: ApiClient):
    from spil.organisations.models import House

    return House.objects.filter(memberships__user=client.user, memberships__role=Role.API_CLIENT).order_by("name")


def issue_credential(client: ApiClient, kind: str = CredentialKind.TOKEN, *, lifetime: datetime.timedelta | None = None) -> str:
    """A new credential; its plain value is returned once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = clock.now() + lifetime if lifetime else None
    Credential.objects.create(client=client, kind=kind, digest=digest(secret), hint=secret[:10], expires_at=expires_at)
    return secret


def revoke(credential: Credential) -> None:
    Credential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(revoked_at=clock.now())


def authenticate(token: str) -> tuple[ApiClient, Credential] | None:
    """The client and credential of a bearer token (a fixed token or a short-lived access token), or None."""
    credential = (
        Credential.objects.usable()
        .filter(kind__in=[CredentialKind.TOKEN, CredentialKind.ACCESS], digest=digest(token))
        .select_related("client__user", "client__partner")
        .first()
    )
    return (credential.client, credential) if credential else None


def mark_used(client: ApiClient) -> None:
    """Remember when the client was last seen (at most one write a minute per client)."""
    now = clock.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - datetime.timedelta(minutes=1))
    ApiClient.objects.filter(stale, pk=client.pk).update(last_used_at=now)


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_in: int  # seconds


@transaction.atomic
def exchange_client_credentials(client_id: str, client_secret: str) -> tuple[ApiClient, AccessToken] | None:
    """OAuth2 client credentials: a valid client secret of an active client buys a short-lived access token. Expired
    access tokens of the client are removed on the way."""
    credential = (
        Credential.objects.usable()
        .filter(kind=CredentialKind.SECRET, digest=digest(client_secret), client__client_id=client_id)
        .select_related("client")
        .first()
    )
    if credential is None:
        return None
    client = credential.client
    if not client.active:
        return client, None
    Credential.objects.filter(client=client, kind=CredentialKind.ACCESS, expires_at__lte=clock.now()).delete()
    lifetime = datetime.timedelta(minutes=settings.API_TOKEN_MINUTES)
    return client, AccessToken(issue_credential(client, CredentialKind.ACCESS, lifetime=lifetime), int(lifetime.total_seconds()))


# ---------------------------------------------------------------------------------------------------- enrichment


@transaction.atomic
def answer_enrichment_as_partner(enrichment: Enrichment, *, actor, summary: str) -> Enrichment:
    """The partner's system answers an enrichment question put to it, with the rules of
    `intake.services.record_enrichment_answer`: not after the weging, once, not before the question."""
    if not policy.visible_enrichment_requests(Enrichment.objects.filter(pk=enrichment.pk), actor).exists():
        raise PermissionDenied(f"Alleen {enrichment.partner} kan deze vraag beantwoorden.")
    enrichment = Enrichment.objects.select_for_update().select_related("report", "partner").get(pk=enrichment.pk)
    report = enrichment.report
    if report.status == ReportStatus.TRIAGED:
        raise IllegalTransition("De melding is al gewogen; een antwoord kan niet meer worden vastgelegd.")
    if enrichment.answered:
        raise IllegalTransition("Op deze vraag is het antwoord al vastgelegd.")
    if not summary.strip():
        raise DomainError("Geef het antwoord.")
    answered_on = clock.today()
    if answered_on < enrichment.requested_on:
        raise DomainError("Het antwoord kan niet eerder zijn ontvangen dan de vraag is gesteld.")
    enrichment.answered_on, enrichment.summary = answered_on, summary.strip()
    enrichment.save(update_fields=["answered_on", "summary"])
    record(
        actor=actor,
        kind=EventKind.ENRICHMENT,
        report=report,
        text=f"Antwoord ontvangen van {enrichment.partner} (via koppeling): {enrichment.summary}",
    )
    log_report(Action.UPDATE, report, actor)
    return enrichment


# ---------------------------------------------------------------------------------------------------- ZSM


@dataclass(frozen=True)
class ZsmAnswer:
    known: bool
    pga_active: bool
    contact: str


def _require_zsm(actor) -> None:
    if not policy.may_query_zsm(actor):
        raise PermissionDenied("Alleen een koppeling van het Openbaar Ministerie (ZSM) mag dit.")


@transaction.atomic
def zsm_question(*, actor, bsn: str) -> ZsmAnswer:
    """Hit/no-hit for ZSM: whether the person is known in an open case, whether a PGA runs, and whom to contact;
    nothing else. Logged as a read (raadplegen) of every case concerned and of the question itself."""
    _require_zsm(actor)
    hashed = bsn_hash(bsn)
    cases = _open_cases(hashed)
    found = hits.hits_in(cases)
    named = hits.persons_named(cases, hashed)
    for case in cases:
        log_case(Action.READ, case, actor, persons=named[case.pk])
    subjects = list(Person.objects.filter(bsn_hash=hashed))
    activity = ProcessingActivity.objects.get(code=ZSM_ACTIVITY)
    log_processing(Action.READ, actor=actor, activity=activity, persons=subjects, object_ref="ZSM-bevraging")
    if not subjects:  # nobody to log under; the question is still on record
        audit(AuditEvent.REQUEST, user=actor, detail="ZSM-bevraging: niet bekend")
    contact = "; ".join(f"{hit.house.name}: {hit.contact}" if hit.contact else hit.house.name for hit in found)
    return ZsmAnswer(known=bool(found), pga_active=any(hit.pga_active for hit in found), contact=contact)


@transaction.atomic
def record_zsm_decision(*, actor, bsn: str, decision: str, reference: str, decided_on: datetime.date) -> int:
    """ZSM's decision on a suspect known to the ZVH goes into the timeline of each open case of that person (not of
    restricted types, which ZSM is never told about). Returns the number of cases; DomainError (404) when none."""
    _require_zsm(actor)
    if decided_on > clock.today():
        raise DomainError("De datum van de beslissing ligt in de toekomst.")
    hashed = bsn_hash(bsn)
    cases = _open_cases(hashed)
    if not cases:
        raise NotKnown("Deze persoon is niet bekend in een lopende casus van een Zorg- en Veiligheidshuis.")
    text = f"ZSM-beslissing van {decided_on:%d-%m-%Y} (parketnummer/referentie {reference.strip()}): {decision.strip()}"
    named = hits.persons_named(cases, hashed)
    for case in cases:
        record(actor=actor, kind=EventKind.NOTE, case=case, text=text)
        log_case(Action.UPDATE, case, actor, persons=named[case.pk])
    return len(cases)


def _open_cases(hashed: str) -> list:
    """The cases a hit is about (`intake.hits.open_cases`), with what their log lines need."""
    return hits.open_cases(hashed, related=("case_type", "house"))


class NotKnown(DomainError):
    status = 404
