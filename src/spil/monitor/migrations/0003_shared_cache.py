"""The table of the `monitor` cache (`CACHES` in the settings): the dashboard's rendered tables, shared by every web
server process. What `manage.py createcachetable` would create, made here so that `migrate` alone sets Spil up."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("monitor", "0002_snapshot")]

    operations = [
        migrations.RunSQL(
            """
            CREATE TABLE monitor_cache (
                cache_key varchar(255) NOT NULL PRIMARY KEY,
                value text NOT NULL,
                expires timestamp with time zone NOT NULL
            );
            CREATE INDEX monitor_cache_expires ON monitor_cache (expires);
            """,
            "DROP TABLE monitor_cache;",
        )
    ]
