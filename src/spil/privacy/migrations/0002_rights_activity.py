from django.db import migrations


def load_register(apps, schema_editor):
    """Adds the processing activity 'rechten-betrokkenen' (inzage and other AVG rights) to existing registers."""
    from spil.logbook import register

    register.load(register.read(), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("logbook", "0004_strictly_append_only")]

    operations = [migrations.RunPython(load_register, migrations.RunPython.noop)]
