"""`Person.known_in_houses`: the houses of every melding and case that named the person, kept by the database.

Triggers add a house when a person is linked to a melding or case (also when a merge moves the link) and when a melding
or case moves to another house; a person row never loses a house, also not when the ORM saves an older copy of it."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

# (what, its table, the table linking it to persons, the link's column): meldingen and cases.
NAMING = [("report", "intake_report", "intake_reportperson", "report_id"), ("case", "cases_case", "cases_case_persons", "case_id")]


def named_triggers(what: str, table: str, links: str, column: str) -> str:
    """A person linked to a melding or case becomes known in its house; a melding or case that moves to another house
    makes its persons known there."""
    return f"""
CREATE FUNCTION spil_person_linked_to_{what}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM spil_person_known_in(NEW.person_id, (SELECT house_id FROM {table} WHERE id = NEW.{column}));
    RETURN NULL;
END $$;
CREATE TRIGGER person_known_in_{what}_house AFTER INSERT OR UPDATE OF person_id, {column} ON {links}
    FOR EACH ROW EXECUTE FUNCTION spil_person_linked_to_{what}();

CREATE FUNCTION spil_{what}_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM spil_person_known_in(person_id, NEW.house_id) FROM {links} WHERE {column} = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER {what}_moved_persons_known AFTER UPDATE OF house_id ON {table}
    FOR EACH ROW WHEN (OLD.house_id IS DISTINCT FROM NEW.house_id) EXECUTE FUNCTION spil_{what}_moved();
"""


TRIGGERS = (
    """
CREATE FUNCTION spil_person_known_in(person bigint, house bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE persons_person SET known_in_houses = known_in_houses || house
    WHERE id = person AND house IS NOT NULL AND NOT known_in_houses @> ARRAY[house];
$$;
"""
    + "".join(named_triggers(*naming) for naming in NAMING)
    + """
CREATE FUNCTION spil_person_keeps_houses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.known_in_houses := ARRAY(SELECT DISTINCT unnest(OLD.known_in_houses || NEW.known_in_houses) ORDER BY 1);
    RETURN NEW;
END $$;
CREATE TRIGGER person_keeps_houses BEFORE UPDATE OF known_in_houses ON persons_person
    FOR EACH ROW WHEN (NOT NEW.known_in_houses @> OLD.known_in_houses) EXECUTE FUNCTION spil_person_keeps_houses();

UPDATE persons_person person SET known_in_houses = known.houses
FROM (
    SELECT person_id, array_agg(DISTINCT house_id ORDER BY house_id) AS houses FROM (
        SELECT link.person_id, report.house_id FROM intake_reportperson link JOIN intake_report report ON report.id = link.report_id
        UNION ALL
        SELECT link.person_id, "case".house_id FROM cases_case_persons link JOIN cases_case "case" ON "case".id = link.case_id
    ) named GROUP BY person_id
) known
WHERE person.id = known.person_id;
"""
)

DROP_TRIGGERS = """
DROP TRIGGER person_keeps_houses ON persons_person;
DROP TRIGGER case_moved_persons_known ON cases_case;
DROP TRIGGER report_moved_persons_known ON intake_report;
DROP TRIGGER person_known_in_case_house ON cases_case_persons;
DROP TRIGGER person_known_in_report_house ON intake_reportperson;
DROP FUNCTION spil_person_keeps_houses(), spil_case_moved(), spil_report_moved(), spil_person_linked_to_case(),
    spil_person_linked_to_report(), spil_person_known_in(bigint, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_emergencyaccess_teammember"),
        ("intake", "0004_inbox_indexes"),
        ("persons", "0004_first_name_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="known_in_houses",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None
            ),
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.AddIndex(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(fields=["known_in_houses"], name="person_known_in_houses"),
        ),
    ]
