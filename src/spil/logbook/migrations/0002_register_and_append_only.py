from django.db import migrations

from spil.core.append_only import append_only


def load_register(apps, schema_editor):
    from spil.logbook import register

    register.load(register.read(), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("logbook", "0001_initial"), ("core", "0003_append_only_function")]

    operations = [
        migrations.RunPython(load_register, migrations.RunPython.noop),
        append_only("logbook_processingrecord"),
        append_only("logbook_auditrecord"),
    ]
