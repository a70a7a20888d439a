"""The restore drill of docs/operations.md, rehearsed on every test run: dump a populated Spil database with
`pg_dump -Fc`, restore it into a fresh PostgreSQL, and check that nothing was lost or changed: every table's count,
one dossier row by row (the case, its persons, its timeline and its processing-log lines), that Spil on the restored
database (with the same keys) still finds the person by BSN and the log lines by pseudonym, and that the hash chains
of both logs still verify.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.urls import reverse

from spil.cases import services as case_services
from spil.cases.models import Case
from spil.casetypes.models import CaseType
from spil.logbook.models import AuditRecord, ProcessingRecord
from spil.organisations.models import Role
from spil.persons.models import Person
from spil.testing import postgres
from spil.testing.factories import member, person_data, register_report
from spil.timeline.models import Event

# Committed data (pg_dump reads from another connection); the migrations' data is put back for the next tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[1]
BSN = "111222333"

# Run by Spil itself on the restored database: `manage.py verify_logbook` (fails on a broken chain), and the lookups
# that depend on the keys kept with the backup (SPIL_BSN_HASH_KEY, SPIL_LOGBOOK_KEY).
ON_THE_RESTORED_DATABASE = """
import json
import sys

import django

django.setup()
from django.core.management import call_command

from spil.logbook.models import ProcessingRecord
from spil.logbook.services import subject_of
from spil.persons.bsn import bsn_hash
from spil.persons.models import Person

call_command("verify_logbook")
person = Person.objects.get(bsn_hash=bsn_hash(sys.argv[1]))
print(json.dumps({"person": person.pk, "log_lines": ProcessingRecord.objects.filter(subject=subject_of(person)).count()}))
"""


def table_counts(uri: str) -> dict[str, int]:
    with psycopg.connect(uri) as conn:
        tables = [name for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def dossier(uri: str, case: Case) -> dict[str, list]:
    """The dossier's rows as PostgreSQL returns them (every column, in order)."""
    persons = Case.persons.through._meta
    queries = {
        "case": (f"SELECT row_to_json(c) FROM {Case._meta.db_table} c WHERE c.id = %s", [case.pk]),
        "persons": (
            f"SELECT row_to_json(p) FROM {Person._meta.db_table} p JOIN {persons.db_table} cp ON cp.person_id = p.id "
            "WHERE cp.case_id = %s ORDER BY p.id",
            [case.pk],
        ),
        "timeline": (f"SELECT row_to_json(e) FROM {Event._meta.db_table} e WHERE e.case_id = %s ORDER BY e.id", [case.pk]),
        "log": (f"SELECT row_to_json(r) FROM {ProcessingRecord._meta.db_table} r WHERE r.object_ref = %s ORDER BY r.id", [case.number]),
    }
    with psycopg.connect(uri, options="-c TimeZone=UTC") as conn:  # the servers' own time zones may differ
        return {part: [row for (row,) in conn.execute(sql, params)] for part, (sql, params) in queries.items()}


def populate(house, other_house, client) -> Case:
    """Two houses with a melding and a case each (one person with a BSN), and the dossier read by its regisseur."""
    opened = []
    for zvh, surname, bsn in [(house, "Jansen", BSN), (other_house, "Peters", "")]:
        intake, director = member(zvh, Role.INTAKE), member(zvh, Role.PROCESS_DIRECTOR)
        report = register_report(
            intake, zvh, persons=[person_data(surname=surname, bsn=bsn), person_data(first_names="Mila", surname=surname)]
        )
        opened.append(
            case_services.open_case(
                actor=director,
                house=zvh,
                case_type=CaseType.objects.get(code="pga"),
                report=report,
                persons=list(report.persons.all()),
                ave_level=3,
                reason="Besluit van de weegtafel",
                process_director=director,
            )
        )
        client.force_login(director)
        assert client.get(reverse("cases:detail", args=[opened[-1].number])).status_code == 200
    return opened[0]


def test_a_dump_restored_into_a_fresh_server_holds_the_same_data_and_its_log_chains_verify(house, other_house, client):
    case = populate(house, other_house, client)
    source = postgres.current_database_uri()
    directory = Path(tempfile.mkdtemp(prefix="spil-herstel-"))
    fresh = postgres.Server(directory)
    try:
        backup = postgres.dump(source, directory / "spil.dump")
        restored = fresh.create_database()
        postgres.restore(backup, restored)

        counts = table_counts(source)
        assert table_counts(restored) == counts
        for model in (Case, Person, Event, ProcessingRecord, AuditRecord):
            assert counts[model._meta.db_table] > 0, model.__name__  # the comparison is about real data

        original = dossier(source, case)
        assert dossier(restored, case) == original
        assert [person["surname"] for person in original["persons"]] == ["Jansen", "Jansen"]
        assert len(original["timeline"]) >= 1 and len(original["log"]) >= 2

        env = {key: value for key, value in os.environ.items() if not key.startswith("SPIL_PGDATA")}
        env |= {"DATABASE_URL": restored, "DJANGO_SETTINGS_MODULE": "spil.conf.settings"}
        spil = subprocess.run(
            [sys.executable, "-c", ON_THE_RESTORED_DATABASE, BSN], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert spil.returncode == 0, spil.stderr
        lines = spil.stdout.strip().splitlines()
        assert "logboek dataverwerkingen:" in lines[0] and lines[0].endswith("keten intact")
        assert "beveiligingslogboek:" in lines[1] and lines[1].endswith("keten intact")
        found = json.loads(lines[-1])
        assert found["person"] == case.persons.get(bsn=BSN).pk
        assert found["log_lines"] >= 2  # the melding's registration and the case's opening, at least
    finally:
        fresh.remove()
        shutil.rmtree(directory, ignore_errors=True)
