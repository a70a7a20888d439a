# Issue 6: timeline lines for forwarding a melding to another house (intake.forwarding).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0003_kinds_for_plans_meetings_topx_measures'),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='kind',
            field=models.CharField(choices=[('ontvangen', 'Ontvangen'), ('status', 'Status gewijzigd'), ('gewijzigd', 'Gegevens gewijzigd'), ('verrijking', 'Verrijking'), ('agenda', 'Geagendeerd'), ('weging', 'Gewogen'), ('casus_geopend', 'Casus geopend'), ('ave', 'AVE-niveau'), ('fase', 'Fase'), ('rol', 'Rol'), ('notitie', 'Notitie'), ('gesloten', 'Gesloten'), ('heropend', 'Heropend'), ('plan', 'Plan van aanpak'), ('overleg', 'Casusoverleg'), ('top_x', 'Top-X'), ('maatregel', 'Maatregel'), ('doorgezonden', 'Doorgezonden')], max_length=20),
        ),
    ]
