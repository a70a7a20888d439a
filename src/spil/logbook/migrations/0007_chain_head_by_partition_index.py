from django.db import migrations

# The end of a partition's chain through the (partition, id) index, in SQL planned once per connection.
#
# 0006 asked `WHERE partition = $1 ORDER BY id DESC LIMIT 1`, planned anew on every call (EXECUTE). PostgreSQL took the
# primary key backwards and skipped the newest records of the other fifteen partitions one by one, expecting a match
# every sixteenth row; but records arrive in batches per partition (a list page logs 25 persons at once), so it read
# some 700 records, 1.4 ms, while holding the partition's lock (national dataset). `max(id)` of the partition is read
# from the (partition, id) index alone: 8 buffers, 0.1 ms, however the partitions interleave. Static statements per log
# table, because PL/pgSQL keeps their plans per connection; EXECUTE planned the query on every call (0.3-0.8 ms).
#
# The lock and the read stay two statements of a VOLATILE function, for the reason 0006 gives.
FUNCTION = """
CREATE OR REPLACE FUNCTION spil_chain_head(log regclass, lock_key integer, chain_partition integer) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key, chain_partition);
    IF log = 'logbook_processingrecord'::regclass THEN
        RETURN (SELECT hash FROM logbook_processingrecord WHERE id = (
            SELECT max(id) FROM logbook_processingrecord WHERE partition = chain_partition));
    ELSIF log = 'logbook_auditrecord'::regclass THEN
        RETURN (SELECT hash FROM logbook_auditrecord WHERE id = (
            SELECT max(id) FROM logbook_auditrecord WHERE partition = chain_partition));
    END IF;
    RAISE EXCEPTION 'spil_chain_head: % heeft geen hashketen', log;
END $$;
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION spil_chain_head(log regclass, lock_key integer, chain_partition integer) RETURNS text
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
    dependencies = [("logbook", "0006_chain_head_function")]

    operations = [migrations.RunSQL(FUNCTION, PREVIOUS)]
