import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from spil.core.lookups import IdArray
from spil.organisations.models import House
from spil.testing.factories import HouseFactory

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds_with_the_list_as_one_parameter():
    houses = [HouseFactory() for _ in range(3)]
    wanted = [houses[0].pk, houses[2].pk, 10**12]
    with CaptureQueriesContext(connection) as queries:
        found = set(House.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert found == set(House.objects.filter(pk__in=wanted).values_list("pk", flat=True)) == {houses[0].pk, houses[2].pk}
    assert "= ANY(" in queries[0]["sql"]


def test_any_of_nothing_finds_nothing_and_combines_with_other_conditions():
    house = HouseFactory()
    assert not House.objects.filter(pk__any=[]).exists()
    assert list(House.objects.filter(Q(pk__any=[]) | Q(pk=house.pk))) == [house]


def test_any_of_ids_is_one_text_parameter_and_any_of_strings_a_list():
    houses = [HouseFactory(name="Huis 'Oost', {Noord}"), HouseFactory()]
    sql, params = House.objects.filter(pk__any=[house.pk for house in houses]).query.sql_with_params()
    assert params == ("{" + ",".join(str(house.pk) for house in houses) + "}",)
    assert list(House.objects.filter(name__any=[houses[0].name, "Elders"])) == [houses[0]]


def test_an_id_array_is_sent_as_its_text_and_filters_like_its_list():
    houses = [HouseFactory(), HouseFactory()]
    ids = IdArray(house.pk for house in houses)
    sql, params = House.objects.filter(Q(pk__any=ids) | Q(name="Elders")).query.sql_with_params()
    assert params[0] == ids.text == "{" + ",".join(str(house.pk) for house in houses) + "}"
    assert set(House.objects.filter(pk__any=ids)) == set(houses)
    assert not House.objects.filter(pk__any=IdArray([])).exists()
