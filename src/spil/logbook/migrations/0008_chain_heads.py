from django.db import migrations

# The ends of several chains in one round trip (`chain._append`): a transaction that writes to both logs, or to several
# partitions, locks them in the order given, each lock followed by a read with its own snapshot (`spil_chain_head`).
FUNCTION = """
CREATE FUNCTION spil_chain_heads(logs regclass[], lock_keys integer[], partitions integer[]) RETURNS text[]
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    heads text[] := '{}';
BEGIN
    FOR i IN 1 .. coalesce(array_length(logs, 1), 0) LOOP
        heads := heads || spil_chain_head(logs[i], lock_keys[i], partitions[i]);
    END LOOP;
    RETURN heads;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("logbook", "0007_chain_head_by_partition_index")]

    operations = [migrations.RunSQL(FUNCTION, "DROP FUNCTION spil_chain_heads(regclass[], integer[], integer[]);")]
