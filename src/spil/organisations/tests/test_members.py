"""The people pickers (case team, responsible person, meeting) offer people, never a partner system's technical user."""

import pytest

from spil.organisations.models import Role, members
from spil.testing.factories import PartnerFactory, member

pytestmark = pytest.mark.django_db


def test_a_technical_api_user_is_never_offered_as_a_member(house):
    person = member(house, Role.PROFESSIONAL, partner=(partner := PartnerFactory()))
    system = member(house, Role.API_CLIENT, partner=partner)
    assert person in members(house) and system not in members(house)
    assert system not in members(house, {Role.API_CLIENT})
