from django.db import migrations


def fill_name_keys(apps, schema_editor):
    from spil.persons import names

    Person = apps.get_model("persons", "Person")
    for person in Person.objects.only("pk", "first_names", "surname_prefix", "surname").iterator(chunk_size=2000):
        Person.objects.filter(pk=person.pk).update(
            name_key=names.surname_key(person.surname_prefix, person.surname),
            first_name_key=names.first_name_key(person.first_names),
        )


class Migration(migrations.Migration):
    dependencies = [("persons", "0002_matching_merges_hits")]

    operations = [migrations.RunPython(fill_name_keys, migrations.RunPython.noop)]
