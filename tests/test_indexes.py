"""Every GIN index takes new entries in at once, without a pending list (`fastupdate`): a search or a registration's
matching otherwise reads through every waiting entry until a vacuum (see `persons.models.Person.Meta.indexes`)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_no_gin_index_keeps_a_pending_list():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.relname, index.reloptions FROM pg_class index JOIN pg_am method ON method.oid = index.relam
             WHERE method.amname = 'gin' AND index.relnamespace = 'public'::regnamespace
            """
        )
        options = dict(cursor.fetchall())
    assert "person_houses_name_key" in options
    assert {name: opts for name, opts in options.items() if "fastupdate=off" not in (opts or [])} == {}
