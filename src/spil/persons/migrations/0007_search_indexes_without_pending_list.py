"""The persons' GIN indexes without a pending list (`fastupdate`, see `Person.Meta.indexes`): changed in place and the
entries already waiting written into the index, rather than rebuilding the indexes of a million persons."""

import django.contrib.postgres.indexes
from django.db import migrations

INDEXES = {
    "person_houses_name_key": django.contrib.postgres.indexes.GinIndex(
        fields=["known_in_houses", "name_key"], name="person_houses_name_key", opclasses=["array_ops", "gin_trgm_ops"], fastupdate=False
    ),
    "person_houses_first_name_key": django.contrib.postgres.indexes.GinIndex(
        fields=["known_in_houses", "first_name_key"],
        name="person_houses_first_name_key",
        opclasses=["array_ops", "gin_trgm_ops"],
        fastupdate=False,
    ),
    "person_known_in_houses": django.contrib.postgres.indexes.GinIndex(fields=["known_in_houses"], name="person_known_in_houses", fastupdate=False),
}


def in_place(name, index):
    return migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                f"ALTER INDEX {name} SET (fastupdate = off); SELECT gin_clean_pending_list('{name}'::regclass);",
                f"ALTER INDEX {name} RESET (fastupdate);",
            )
        ],
        state_operations=[migrations.RemoveIndex(model_name="person", name=name), migrations.AddIndex(model_name="person", index=index)],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("persons", "0006_search_indexes_by_house"),
    ]

    operations = [in_place(name, index) for name, index in INDEXES.items()]
