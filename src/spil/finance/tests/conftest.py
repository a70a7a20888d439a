import pytest

from spil.finance import seed
from spil.organisations.models import Role
from spil.testing.factories import MunicipalityFactory, member

CBS_CODES = {
    "Kerkrade": "GM0928",
    "Beekdaelen": "GM1954",
    "Landgraaf": "GM0882",
    "Simpelveld": "GM0965",
    "Voerendaal": "GM0986",
    "Brunssum": "GM0899",
}


@pytest.fixture
def parkstad(house):
    """ZVH Parkstad with its seven municipalities and their CBS 2024 populations (seed 001)."""
    for name, code in CBS_CODES.items():
        MunicipalityFactory(name=name, cbs_code=code, population=seed.PARKSTAD_CONTRIBUTION_TABLE[name][0], house=house)
    return house


@pytest.fixture
def manager(house):
    return member(house, Role.MANAGER)


@pytest.fixture
def back_office(house):
    return member(house, Role.BACK_OFFICE)


@pytest.fixture
def steering(house):
    return member(house, Role.STEERING_GROUP)


@pytest.fixture
def other_manager(other_house):
    return member(other_house, Role.MANAGER)
