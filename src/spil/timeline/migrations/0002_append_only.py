from django.db import migrations

from spil.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial"), ("cases", "0001_initial"), ("core", "0003_append_only_function")]

    operations = [append_only("timeline_event"), append_only("cases_avechange")]
