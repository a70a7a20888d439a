from django.db import migrations

# History tables (timeline_event, cases_avechange) stay append-only, with one exception: the retention service
# (`privacy.services.destroy`) may DELETE rows of a dossier whose retention term has passed. It sets the
# transaction-local setting `spil.retention_purge` for exactly that; an UPDATE is refused under every setting.
# The logbook tables have their own function that never gives way (logbook migration 0004), hence the dependency.
PURGE_ALLOWED = """
CREATE OR REPLACE FUNCTION spil_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('spil.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'history in % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
"""

ORIGINAL = """
CREATE OR REPLACE FUNCTION spil_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history in % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_rights_activity"),
        ("core", "0003_append_only_function"),
        ("timeline", "0002_append_only"),
        ("logbook", "0004_strictly_append_only"),
    ]

    operations = [migrations.RunSQL(PURGE_ALLOWED, ORIGINAL)]
