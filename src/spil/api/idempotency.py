"""`Idempotency-Key` on submissions: a retry with the same key and body gets the first answer again and never
creates a second melding; the same key with another body is refused (422).

The key is claimed with `INSERT ... ON CONFLICT DO NOTHING` on the unique (client, key) in the request's
transaction. A concurrent request with the same key blocks on that insert until the first one's transaction ends:
after a commit it finds the stored answer; after a rollback (the first request failed) it claims the key itself.
Keys are kept for KEEP_DAYS days.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from spil.api.models import ApiClient, IdempotencyKey
from spil.api.problems import Unprocessable
from spil.core import clock

HEADER = "Idempotency-Key"
MAX_LENGTH = 255
KEEP_DAYS = 7


def request_digest(data) -> str:
    """A keyed hash of the parsed body (key order and spacing do not matter); the body itself is not kept."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hmac.new(settings.SECRET_KEY.encode(), f"idempotency:{canonical}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Claim:
    record: IdempotencyKey
    replay: bool  # True: the stored answer of an earlier request is the answer

    def store(self, status_code: int, response: dict, location: str = "") -> None:
        IdempotencyKey.objects.filter(pk=self.record.pk).update(status_code=status_code, response=response, location=location)


def claim(client: ApiClient, key: str, data) -> Claim:
    """Claim `key` for this request (call inside the request's transaction), or find the answer given to it before."""
    if not key.strip() or len(key) > MAX_LENGTH or not key.isascii() or not key.isprintable():
        raise Unprocessable(f"De {HEADER} is te lang of bevat ongeldige tekens (hoogstens {MAX_LENGTH} zichtbare ASCII-tekens).")
    wanted = request_digest(data)
    now = clock.now()
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (client_id, key, request_digest, location, created_at) VALUES (%s, %s, %s, '', %s) "
            "ON CONFLICT (client_id, key) DO NOTHING RETURNING id",
            [client.pk, key, wanted, now],
        )
        inserted = cursor.fetchone()
    if inserted:
        IdempotencyKey.objects.filter(client=client, created_at__lt=now - datetime.timedelta(days=KEEP_DAYS)).delete()
        return Claim(IdempotencyKey.objects.get(pk=inserted[0]), replay=False)
    earlier = IdempotencyKey.objects.get(client=client, key=key)
    if earlier.request_digest != wanted:
        raise Unprocessable(f"Deze {HEADER} is al gebruikt voor een ander verzoek. Gebruik een nieuwe sleutel voor een nieuwe melding.")
    return Claim(earlier, replay=True)
