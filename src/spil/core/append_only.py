"""Migration operations that make a table append-only (see core migration 0003 for the trigger function)."""

from django.db import migrations


def append_only(table: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION spil_refuse_history_change();",
        f"DROP TRIGGER {table}_append_only ON {table};",
    )
