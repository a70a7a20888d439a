from django.db import migrations

# History and logs are append-only (ENGINEERING.md): tables that must never change get a trigger calling this.
FUNCTION = """
CREATE FUNCTION spil_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history in % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0002_postgres_extensions")]

    operations = [migrations.RunSQL(FUNCTION, "DROP FUNCTION spil_refuse_history_change();")]
