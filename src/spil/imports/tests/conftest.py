import pytest

from spil.testing.factories import PartnerFactory


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.SPIL_UPLOAD_ROOT = str(tmp_path / "uploads")
    return tmp_path / "uploads" / "imports"


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Politie Limburg")


@pytest.fixture
def prison(db):
    from spil.organisations.models import PartnerType

    return PartnerFactory(name="PI Limburg Zuid", type=PartnerType.PRISON)
