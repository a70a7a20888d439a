import pytest
from django.core.management import CommandError, call_command

from spil.casetypes.models import CaseType
from spil.logbook import register
from spil.logbook.models import ProcessingActivity


def test_the_shipped_register_is_valid_and_every_case_type_maps_to_it(db):
    codes = {a["code"] for a in register.read()}
    assert set(ProcessingActivity.objects.values_list("code", flat=True)) == codes
    assert not CaseType.objects.filter(processing_activity__isnull=True).exists()
    assert CaseType.objects.get(code="pga-radicalisering").processing_activity.code == "radicalisering"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda a: a.pop("legal_basis"), "'legal_basis' moet een niet-lege tekst zijn"),
        (lambda a: a.update(retention_years=0), "'retention_years' moet een positief geheel getal zijn"),
        (lambda a: a.update(colour="blauw"), "onbekende sleutel"),
    ],
)
def test_a_bad_entry_is_named(change, message):
    activities = register.read()
    change(activities[1])
    with pytest.raises(register.RegisterError, match=rf"activity\[1\] '{activities[1]['code']}': {message}"):
        register.validate(activities)


def test_the_command_reloads_and_refuses_bad_files(db, tmp_path):
    call_command("load_processing_activities")
    bad = tmp_path / "register.toml"
    bad.write_text("[[activity]]\ncode = 'x'\n", encoding="utf-8")
    with pytest.raises(CommandError, match="activity\\[0\\] 'x'"):
        call_command("load_processing_activities", str(bad))
