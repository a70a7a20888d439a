from django.db import migrations

# The end of a partition's chain, taken under the partition's lock, in one round trip (`chain.append`). The lock and the
# read are two statements of a VOLATILE function: in READ COMMITTED each gets its own snapshot, so the read sees every
# record committed before the lock was granted. One plain statement would read with the snapshot it started with, from
# before a writer it waited for had committed, and fork the chain.
FUNCTION = """
CREATE FUNCTION spil_chain_head(log regclass, lock_key integer, chain_partition integer) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head text;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key, chain_partition);
    EXECUTE format('SELECT hash FROM %s WHERE partition = $1 ORDER BY id DESC LIMIT 1', log) INTO head USING chain_partition;
    RETURN head;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("logbook", "0005_log_indexes_that_are_used")]

    operations = [migrations.RunSQL(FUNCTION, "DROP FUNCTION spil_chain_head(regclass, integer, integer);")]
