"""The table of the `filter_forms` cache (`CACHES` in the settings): the list pages' rendered filter forms, shared by
every web server process. What `manage.py createcachetable` would create, made here so that `migrate` alone sets Spil
up."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("web", "0002_notification_key_and_more")]

    operations = [
        migrations.RunSQL(
            """
            CREATE TABLE web_filter_forms_cache (
                cache_key varchar(255) NOT NULL PRIMARY KEY,
                value text NOT NULL,
                expires timestamp with time zone NOT NULL
            );
            CREATE INDEX web_filter_forms_cache_expires ON web_filter_forms_cache (expires);
            """,
            "DROP TABLE web_filter_forms_cache;",
        )
    ]
