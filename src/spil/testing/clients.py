"""A test client whose `force_login` also passes the second step, so tests of other apps need not know about 2FA.

The root conftest.py gives it to every test as `client` (and `admin_client`). Tests of the login flow itself use
a real HTTP session against `live_server` instead (src/spil/accounts/tests/).
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

TEST_DEVICE_NAME = "testclient"


class VerifiedClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device, _ = StaticDevice.objects.get_or_create(user=user, name=TEST_DEVICE_NAME, defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
