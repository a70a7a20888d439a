from django.db import migrations


def load(apps, schema_editor):
    from spil.meetings import config

    config.load(config.read(), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
