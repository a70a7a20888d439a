"""Hit/no-hit across houses (as the Veilig Thuis Register does): whether a person is known in an active case at a
house, answered with the house and its contact only, never with content.

`open_cases` is the one question for it (intake, the ZSM question of the partner API), `hits_in` the answer it gives (the
houses, in name order, and whether a PGA runs there). At registration `ask` asks it for every person of the melding
with a BSN, and `announce` records the answers once the melding is written: the melding
keeps the answer (`persons.HitCheck`, `persons.KnownElsewhere`: house, contact, PGA active; never a case number, type
or content) and the other house's bedrijfsbureau and the procesregisseur of each case concerned get a notification
naming their own case and the melding house's contact, not the person and not the melding. Both sides are logged: the
asking house a *zoeken* per person asked about (object "hit/no-hit <melding>"), the other house a *zoeken* per case
concerned (under the case's processing activity), so each person's inzage shows who asked. A melding with a restricted
theme still gets its answer, but the other house is not told (that would reveal the restricted melding).
"""

from dataclasses import dataclass

from django.urls import reverse

from spil.organisations.models import House, Role, members

PGA_CASE_TYPES = ("pga", "pga-jeugd")


@dataclass(frozen=True)
class Hit:
    house: House
    pga_active: bool  # an open Persoonsgerichte Aanpak case

    @property
    def contact(self) -> str:
        return self.house.contact


def hits_in(cases) -> list[Hit]:
    """The houses of these open cases (in the order given: `open_cases` sorts by house name), each with whether one of
    its cases is a Persoonsgerichte Aanpak."""
    cases = list(cases)
    houses = {case.house_id: case.house for case in cases}
    pga_houses = {case.house_id for case in cases if case.case_type.code in PGA_CASE_TYPES}
    return [Hit(house=house, pga_active=house.pk in pga_houses) for house in houses.values()]


def open_case_ids(bsn_hash: str, *, exclude_house=None):
    """The ids of the open cases that name a person with this BSN (keyed hash). Restricted case types (radicalisering,
    mensenhandel) never give a hit: even their existence is shielded."""
    from spil.cases.models import Case, CaseStatus

    if not bsn_hash:
        # Every person without a BSN has an empty hash: asked for it, the query would name all their cases as hits.
        raise ValueError("the hit check takes the keyed hash of a BSN")
    # The cases by a subquery on their links to the persons, not by a join with DISTINCT: with the tables the callers join
    # in (house, theme, processing activity, regisseur), PostgreSQL took 9 ms to plan that join, 2 ms this one.
    named = Case.persons.through.objects.filter(person__bsn_hash=bsn_hash).values("case_id")
    cases = Case.objects.filter(status=CaseStatus.OPEN, case_type__restricted=False, pk__in=named)
    cases = cases.exclude(house=exclude_house) if exclude_house is not None else cases
    return cases.order_by().values_list("pk", flat=True)


def open_cases(bsn_hash: str, *, exclude_house=None, related: tuple[str, ...] = ()) -> list:
    """The open cases of `open_case_ids`, in the order of their house's name, with `related` joined in. Their ids come
    first: most persons asked about have none, and with the callers' tables joined in, Django took about 2 ms to compile
    the query and PostgreSQL as long to plan it, to find nothing."""
    from spil.cases.models import Case

    ids = list(open_case_ids(bsn_hash, exclude_house=exclude_house))
    return list(Case.objects.filter(pk__in=ids).select_related(*related).order_by("house__name", "pk")) if ids else []


def persons_named(cases, bsn_hash: str) -> dict[int, list]:
    """The persons with this BSN (keyed hash) in each of these cases, by case id, in one query: whom the case's log
    line names."""
    from spil.cases.models import Case

    links = Case.persons.through.objects.filter(case__in=[case.pk for case in cases], person__bsn_hash=bsn_hash)
    named = {case.pk: [] for case in cases}
    for link in links.select_related("person").order_by("person_id"):
        named[link.case_id].append(link.person)
    return named


@dataclass(frozen=True)
class Concerned:
    """An open case elsewhere about a person asked for: its persons with that BSN (logged as searched) and who is told."""

    case: object
    persons: list
    recipients: list


@dataclass(frozen=True)
class Answer:
    person: object
    hits: list[Hit]
    cases: list[Concerned]


def ask(persons, *, house, shielded: bool) -> list[Answer]:
    """The question `announce` records, for each person with a BSN, asked before the melding is written: registration
    takes its number after this, and the series' counter stays locked from then until commit. Only reads."""
    answers = []
    for person in {person.pk: person for person in persons if person.bsn_hash}.values():
        cases = open_cases(person.bsn_hash, exclude_house=house, related=("case_type", "house", "process_director"))
        named = persons_named(cases, person.bsn_hash)
        concerned = [Concerned(case=case, persons=named[case.pk], recipients=[] if shielded else _recipients(case)) for case in cases]
        answers.append(Answer(person=person, hits=hits_in(cases), cases=concerned))
    return answers


def _recipients(case) -> list:
    recipients = {user.pk: user for user in members(case.house, {Role.BACK_OFFICE})}
    if case.process_director_id is not None:
        recipients[case.process_director_id] = case.process_director
    return list(recipients.values())


def announce(report, answers: list[Answer], *, actor) -> None:
    """At registration: keep the answers (`ask`) with the melding, tell the other houses and log both sides (see the
    module's text)."""
    from spil.access.processing import intake_activity_id, log_case
    from spil.logbook.models import Action
    from spil.logbook.services import log_spans
    from spil.persons.models import HitCheck, KnownElsewhere
    from spil.web.models import Notification

    if not answers:
        return
    asked = [answer.person for answer in answers]
    log_spans(Action.SEARCH, actor=actor, spans=[(intake_activity_id(), asked, f"hit/no-hit {report.number}")])
    shielded = report.requested_case_type.restricted
    for answer in answers:
        check = HitCheck.objects.create(report=report, person=answer.person, checked_by=actor)
        KnownElsewhere.objects.bulk_create(
            KnownElsewhere(hit_check=check, house=hit.house, pga_active=hit.pga_active, contact=hit.contact) for hit in answer.hits
        )
        for concerned in answer.cases:
            case = concerned.case
            log_case(Action.SEARCH, case, actor, persons=concerned.persons)
            if shielded:
                continue
            contact = f"; contact: {report.house.contact}" if report.house.contact else ""
            text = f"Een persoon uit casus {case.number} is gemeld bij {report.house}{contact}."
            for user in concerned.recipients:
                Notification.objects.get_or_create(
                    user=user,
                    key=f"hit:{report.pk}:{case.pk}",
                    defaults={"text": text[:300], "url": reverse("cases:detail", args=[case.number])},
                )
