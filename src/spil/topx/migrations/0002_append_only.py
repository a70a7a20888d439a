from django.db import migrations

from spil.core.append_only import append_only


class Migration(migrations.Migration):
    """Decisions on a Top-X list are history: the database refuses to change or remove them (except the retention
    purge, see privacy migration 0003)."""

    dependencies = [("topx", "0001_initial"), ("core", "0003_append_only_function")]

    operations = [append_only("topx_ranking"), append_only("topx_rankingentry")]
