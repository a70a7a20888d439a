import base64
import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from spil.accounts import services as account_services

from spil.cases.models import AveChange, Case, CaseStatus
from spil.core.models import Counter
from spil.demo import generator, regions
from spil.intake.models import Enrichment, Report, ReportPerson, ReportStatus
from spil.organisations.models import House, Membership, Municipality, Partner, Role
from spil.persons.bsn import is_valid_bsn
from spil.persons.models import Person
from spil.timeline.models import Event, EventKind
from spil.triage.models import Outcome, SessionStatus, TriageItem, TriageSession

PARKSTAD_2024 = {
    "Heerlen": 87_461,
    "Kerkrade": 45_311,
    "Beekdaelen": 35_896,
    "Landgraaf": 37_112,
    "Simpelveld": 10_255,
    "Voerendaal": 12_375,
    "Brunssum": 27_770,
}

ROLE_ACCOUNTS = {
    Role.INTAKE: "intake",
    Role.TRIAGE: "weger",
    Role.PROCESS_DIRECTOR: "regisseur",
    Role.CASE_DIRECTOR: "casusregisseur",
    Role.BACK_OFFICE: "bedrijfsbureau",
    Role.PRIVACY_OFFICER: "privacy",
    Role.MANAGER: "manager",
}

MODELS = [
    House,
    Municipality,
    Partner,
    get_user_model(),
    Membership,
    Person,
    Report,
    ReportPerson,
    Enrichment,
    TriageSession,
    TriageItem,
    Case,
    AveChange,
    Event,
    Counter,
]


def quiet(message):
    pass


def table_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    return generator.generate("test", log=quiet)


def test_houses_and_parkstad_municipalities_with_exact_populations(demo):
    assert set(House.objects.values_list("code", flat=True)) >= {h.code for h in regions.HOUSES}
    assert House.objects.count() == len(regions.HOUSES) + len(regions.OTHER_HOUSES)  # Gelderland-Zuid: routing only
    parkstad = House.objects.get(code="parkstad")
    populations = dict(parkstad.municipalities.values_list("name", "population"))
    assert populations == PARKSTAD_2024
    assert sum(populations.values()) == 256_180
    assert parkstad.municipalities.get(name="Heerlen").cbs_code == "GM0917"
    assert all(re.fullmatch(r"GM\d{4}", code) for code in Municipality.objects.values_list("cbs_code", flat=True))
    noord = set(House.objects.get(code="noord-limburg").municipalities.values_list("name", flat=True))
    assert "Mook en Middelaar" in noord and "Roermond" not in noord
    # Partners of many kinds, every municipality among them.
    assert Partner.objects.values("type").distinct().count() >= 12
    assert Partner.objects.filter(name="Gemeente Heerlen").exists()


def test_one_account_per_role_in_parkstad_that_can_log_in(demo):
    parkstad = House.objects.get(code="parkstad")
    for role, username in ROLE_ACCOUNTS.items():
        user = authenticate(username=username, password=generator.DEMO_PASSWORD)
        assert user is not None, username
        assert user.memberships.filter(house=parkstad, role=role).exists(), username
        assert user.get_full_name()
    assert Membership.objects.get(user__username="casusregisseur").partner is not None
    noord = authenticate(username="intake-noord", password=generator.DEMO_PASSWORD)
    assert noord.memberships.filter(house__code="noord-limburg", role=Role.INTAKE).exists()
    assert {row["username"] for row in demo.accounts} >= set(ROLE_ACCOUNTS.values()) | {"intake-noord"}


def test_meldingen_in_every_status_and_decisions_of_every_outcome(demo):
    parkstad = Report.objects.filter(house__code="parkstad")
    assert set(parkstad.values_list("status", flat=True)) == set(ReportStatus.values)
    assert set(TriageItem.objects.filter(session__house__code="parkstad").exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert Report.objects.values("house").distinct().count() == 6  # the five Limburg houses and Gelderland-Zuid (routed)
    assert Enrichment.objects.filter(answered_on__isnull=False).exists()
    assert Enrichment.objects.filter(answered_on__isnull=True).exists()
    assert ReportPerson.objects.count() > Report.objects.count()  # some meldingen are about a family
    # Past tables are closed with every melding decided; the coming Parkstad table has an agenda.
    assert not TriageItem.objects.filter(session__status=SessionStatus.CLOSED, decided_at__isnull=True).exists()
    upcoming = TriageSession.objects.get(house__code="parkstad", status=SessionStatus.PLANNED)
    assert upcoming.items.exists()
    assert upcoming.starts_at.date() >= timezone.localdate() - timezone.timedelta(days=1)
    assert set(upcoming.items.values_list("report__status", flat=True)) == {ReportStatus.READY}


def test_cases_in_several_phases_closed_and_one_reopened(demo):
    assert Case.objects.values("phase").distinct().count() >= 2
    assert Case.objects.filter(status=CaseStatus.CLOSED).exists()
    reopened = Case.objects.filter(events__kind=EventKind.REOPENED).distinct()
    assert reopened.count() == 1
    assert reopened.get().status == CaseStatus.OPEN
    assert AveChange.objects.filter(from_level__isnull=False).exists()
    assert Case.objects.filter(process_director__username="regisseur", status=CaseStatus.OPEN).exists()
    assert Case.objects.filter(case_director__username="casusregisseur").exists()
    assert Case.objects.filter(case_type__code="consult-advies").exists()


def test_history_is_spread_over_the_past_and_never_in_the_future(demo):
    now = timezone.now()
    assert not Event.objects.filter(at__gt=now).exists()
    oldest = Report.objects.order_by("received_on").first().received_on
    assert (timezone.localdate() - oldest).days > 60
    for report in Report.objects.all():
        received = report.events.order_by("at", "pk").first()
        assert received.kind == EventKind.RECEIVED
        assert timezone.localdate(received.at) == report.received_on
    # Cases are opened at the weegtafel that decided on them.
    for case in Case.objects.select_related("report"):
        item = TriageItem.objects.get(report=case.report, decided_at__isnull=False)
        assert case.opened_at == item.decided_at


def test_every_bsn_passes_the_11_proef(demo):
    bsns = list(Person.objects.exclude(bsn="").values_list("bsn", flat=True))
    assert bsns
    assert all(is_valid_bsn(bsn) and bsn.startswith("999") for bsn in bsns)
    assert len(set(bsns)) == len(bsns)
    assert Person.objects.filter(bsn="").exists()


def test_running_it_again_changes_nothing(demo):
    before = table_counts()
    again = generator.generate("test", log=quiet)
    assert again.skipped
    assert table_counts() == before


def test_command_prints_the_accounts_and_the_password(db, monkeypatch):
    monkeypatch.setitem(generator.SIZES, "demo", generator.SIZES["test"])
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    text = out.getvalue()
    assert generator.DEMO_PASSWORD in text
    assert generator.DEMO_TOTP_SECRET in text and generator.DEMO_BACKUP_CODES[0] in text
    assert "intake-noord" in text and "Marieke Smeets" in text
    assert "Stap 3/3" in text
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "bestaat al" in out.getvalue()


def test_planning_is_deterministic(db):
    houses, municipalities, partners = generator.ensure_organisations()
    users = generator.ensure_accounts(houses, partners)
    now = timezone.now()

    def plan():
        history = generator.History(
            generator.SIZES["test"],
            seed=generator.SEED,
            now=now,
            houses=houses,
            municipalities=municipalities,
            partners=partners,
            users=users,
            log=quiet,
        )
        history.plan()
        actions = [(moment, action.func.__name__, action.keywords) for moment, _, action in history.actions]
        return actions, [report.persons for report in history.reports], [report.fields for report in history.reports]

    assert plan() == plan()


def test_every_demo_account_has_the_printed_authenticator_secret_and_backup_codes(db):
    houses, _, partners = generator.ensure_organisations()
    users = generator.ensure_accounts(houses, partners)
    key = base64.b32decode(generator.DEMO_TOTP_SECRET)
    for user in users.values():
        device = account_services.app_device(user)
        assert device is not None and device.bin_key == key, user.username
        assert account_services.verify_code(user, f"{TOTP(key).token():06d}") == device  # what oathtool prints
        assert account_services.verify_code(user, generator.DEMO_BACKUP_CODES[0]) is not None
    # Running it again adds no devices; it brings the used backup codes back.
    devices = TOTPDevice.objects.count()
    tokens = StaticToken.objects.count()
    generator.ensure_accounts(houses, partners)
    assert TOTPDevice.objects.count() == devices
    assert StaticToken.objects.count() == tokens + len(users)
