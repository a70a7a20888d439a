from django.db import migrations


def load(apps, schema_editor):
    from spil.casetypes import config

    config.load(config.read(), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("casetypes", "0001_initial"), ("logbook", "0002_register_and_append_only")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
