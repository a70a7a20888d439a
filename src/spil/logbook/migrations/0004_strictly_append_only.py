from django.db import migrations

# The logs get a trigger function of their own. History tables (timeline, AVE changes) share
# `spil_refuse_history_change()`, which the privacy app relaxes for retention purges (privacy migration 0003);
# the Logboek Dataverwerkingen and the audit log must stay append-only under every setting, for ever.
FUNCTION = """
CREATE FUNCTION spil_refuse_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the log in % is append-only: records are never changed or removed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""

TABLES = ["logbook_processingrecord", "logbook_auditrecord"]


def _point_triggers_at(function: str) -> str:
    # Same trigger names as before (logbook 0002), so tooling and tests that name them keep working.
    return "\n".join(
        f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();"
        for table in TABLES
    )


class Migration(migrations.Migration):
    dependencies = [("logbook", "0003_audit_events")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION spil_refuse_log_change();"),
        migrations.RunSQL(_point_triggers_at("spil_refuse_log_change"), _point_triggers_at("spil_refuse_history_change")),
    ]
