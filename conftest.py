import pytest

from spil.organisations.models import Role
from spil.testing.clients import VerifiedClient
from spil.testing.factories import HouseFactory, MunicipalityFactory, member


@pytest.fixture
def client():
    """pytest-django's client, whose force_login also counts as two-factor verified (see spil.testing.clients)."""
    return VerifiedClient()


@pytest.fixture
def admin_client(db, admin_user):
    client = VerifiedClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def house(db):
    house = HouseFactory(code="parkstad", name="ZVH Parkstad")
    MunicipalityFactory(name="Heerlen", cbs_code="GM0917", population=87_461, house=house)
    return house


@pytest.fixture
def other_house(db):
    house = HouseFactory(code="noord-limburg", name="ZVH Noord-Limburg")
    MunicipalityFactory(name="Venlo", cbs_code="GM0983", population=102_000, house=house)
    return house


@pytest.fixture
def intake_worker(house):
    return member(house, Role.INTAKE)


@pytest.fixture
def weger(house):
    return member(house, Role.TRIAGE, Role.BACK_OFFICE)


@pytest.fixture
def regisseur(house):
    return member(house, Role.PROCESS_DIRECTOR)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.5 s a user: far too slow for fixtures that create several."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_kept_filter_forms():
    """Each test starts without the filter forms an earlier test rendered (`OptionsKeptForAMinute`): its houses may
    have had the same ids. The shared table's rows go with each test's transaction; each process's copy stays."""
    from django.core.cache import caches

    caches["filter_forms"].local.clear()
