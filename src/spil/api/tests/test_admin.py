"""Beheer: the houses of a client are its koppeling memberships; the admin never shows or issues a token."""

import pytest

from spil.api.models import Credential
from spil.api.services import client_houses

pytestmark = pytest.mark.django_db


def test_the_admin_edits_houses_and_revokes_without_showing_tokens(admin_client, clients, house, other_house):
    client = clients.a.client
    page = admin_client.get(f"/beheer/api/apiclient/{client.pk}/change/")
    assert page.status_code == 200 and clients.a.token not in page.content.decode()
    assert admin_client.get("/beheer/api/apiclient/add/").status_code == 403

    response = admin_client.post(
        f"/beheer/api/apiclient/{client.pk}/change/",
        {
            "name": client.name,
            "active": "on",
            "rate_limit_per_minute": 60,
            "houses": [house.pk, other_house.pk],
            "credentials-TOTAL_FORMS": 0,
            "credentials-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(client_houses(client)) == {house, other_house}

    admin_client.post("/beheer/api/apiclient/", {"action": "revoke_all", "_selected_action": [client.pk]})
    assert not Credential.objects.usable().filter(client=client).exists()
