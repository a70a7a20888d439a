from django.db import migrations

# History is append-only (ENGINEERING.md): the database itself refuses to change or remove it.
FUNCTION = """
CREATE FUNCTION spil_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history in % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
"""
TABLES = ["timeline_event", "cases_avechange"]


def trigger(table):
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION spil_refuse_history_change();"
    )


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial"), ("cases", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION spil_refuse_history_change();"),
        *[
            migrations.RunSQL(trigger(table), f"DROP TRIGGER {table}_append_only ON {table};")
            for table in TABLES
        ],
    ]
