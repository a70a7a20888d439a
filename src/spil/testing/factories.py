"""Test data builders (factory_boy). Business objects are made through the services where it matters."""

import datetime

import factory
from django.contrib.auth import get_user_model

from spil.casetypes.models import CaseType
from spil.core import clock
from spil.intake import services as intake_services
from spil.intake.models import Channel
from spil.organisations.models import House, Membership, Municipality, Partner, PartnerType


class HouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = House
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"zvh-{n}")
    name = factory.Sequence(lambda n: f"ZVH Testregio {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    cbs_code = factory.Sequence(lambda n: f"GM{n:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    population = 25_000
    house = factory.SubFactory(HouseFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Politie eenheid {n}")
    type = PartnerType.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("correct-horse-battery")


def member(house, *roles, partner=None, user=None):
    """A user holding the given roles in a house."""
    user = user or UserFactory()
    for role in roles:
        Membership.objects.create(user=user, house=house, role=role, partner=partner)
    return user


def person_data(**overrides) -> dict:
    data = {"first_names": "Jan", "surname_prefix": "van der", "surname": "Berg", "birth_date": datetime.date(1990, 5, 17)}
    data.update(overrides)
    return data


def report_fields(**overrides) -> dict:
    fields = {
        "source_partner": overrides.pop("source_partner", None) or PartnerFactory(),
        "reporter_name": "A. Wijkagent",
        "reporter_contact": "06-12345678",
        "channel": Channel.PHONE,
        "received_on": clock.today(),
        "reason": "Herhaaldelijk overlast en zorgen over de thuissituatie.",
        "request": "Procesregie op zorg en veiligheid.",
        "requested_case_type": CaseType.objects.get(code="pga"),
    }
    fields.update(overrides)
    return fields


def register_report(actor, house, persons=None, **overrides):
    return intake_services.register_report(
        actor=actor, house=house, fields=report_fields(**overrides), persons=[person_data()] if persons is None else persons
    )
