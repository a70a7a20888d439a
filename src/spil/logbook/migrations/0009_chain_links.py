import importlib

from django.db import migrations

# Records join their chains in the statement that inserts them (`chain._append`): for each chain in the order given, the
# partition's lock and the end of its chain (`spil_chain_head`, with its own snapshot), then each record's link to its
# predecessor, the hash over both that `chain.hash_payload` computes, and the content itself, from which the row is
# inserted. One round trip instead of two (0008's ends of the chains, then the insert), and the partitions' locks are
# held from the insert to the commit only.
FUNCTION = """
CREATE FUNCTION spil_chain_links(
    logs regclass[], lock_keys integer[], partitions integer[], lengths integer[], payloads jsonb, genesis text
) RETURNS TABLE (previous_hash text, hash text, content text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n integer := 0;
BEGIN
    FOR i IN 1 .. coalesce(array_length(logs, 1), 0) LOOP
        hash := coalesce(spil_chain_head(logs[i], lock_keys[i], partitions[i]), genesis);
        FOR j IN 1 .. lengths[i] LOOP
            n := n + 1;
            previous_hash := hash;
            content := payloads->>(n - 1);
            hash := encode(sha256(convert_to(previous_hash || E'\\n' || content, 'UTF8')), 'hex');
            RETURN NEXT;
        END LOOP;
    END LOOP;
END $$;
"""

# 0008's function, which nothing calls any more.
CHAIN_HEADS = importlib.import_module("spil.logbook.migrations.0008_chain_heads").FUNCTION


class Migration(migrations.Migration):
    dependencies = [("logbook", "0008_chain_heads")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION spil_chain_links(regclass[], integer[], integer[], integer[], jsonb, text);"),
        migrations.RunSQL("DROP FUNCTION spil_chain_heads(regclass[], integer[], integer[]);", CHAIN_HEADS),
    ]
