"""A cache shared by every web server process, with a copy of what each process read."""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()


class SharedWithLocalCopy(DatabaseCache):
    """Django's database cache, for entries that do not change under their key (the key names the version of what was
    cached), or that may be as old as twice the timeout: one process renders, every process reads it from PostgreSQL
    once and then from its own memory, for up to the timeout. A key's entry is read from the table at most once per
    process, not once per request (for the national kerncijfers a megabyte each time). Each process keeps at most
    `LOCAL_MAX_ENTRIES` (an option; 100 by default)."""

    def __init__(self, table, params):
        super().__init__(table, params)
        entries = params.get("OPTIONS", {}).get("LOCAL_MAX_ENTRIES", 100)
        self.local = LocMemCache(f"{table}-local", {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": entries}})

    def get(self, key, default=None, version=None):
        value = self.local.get(key, _MISSING, version)
        if value is _MISSING:
            value = super().get(key, _MISSING, version)
            if value is _MISSING:
                return default
            self.local.set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self.local.set(key, value, timeout, version)
