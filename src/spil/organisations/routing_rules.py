"""Reading, validating and loading the routing rules (`fixtures/routing.toml`, see `intake.routing`).

The file is checked as a whole before anything is written; an error names the offending entry. Loading makes the
file the truth for every gemeente it names: their rules become exactly the file's, rules of other gemeenten stay.
Houses and gemeenten are set up per installation (admin, demo), so the rules are loaded by `manage.py
load_routing_rules`, not by a migration; a gemeente this installation does not have is skipped with a warning.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from spil.core.config_files import check_flags, check_keys, read_toml

FIXTURE = Path(__file__).parent / "fixtures" / "routing.toml"

RULE_KEYS = {"municipality", "house", "case_types", "unless_criminal_law", "note"}
REQUIRED_KEYS = {"municipality", "house", "case_types"}
CBS_CODE = re.compile(r"GM\d{4}")
NOTE_MAX = 200  # RoutingRule.note


class RoutingConfigError(ValueError):
    pass


@dataclass
class LoadResult:
    rules: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)  # CBS codes of gemeenten this installation does not have


def read(path: Path = FIXTURE) -> dict:
    return read_toml(path, validate, RoutingConfigError)


def validate(data: dict) -> None:
    if unknown := set(data) - {"rule"}:
        raise RoutingConfigError(f"onbekende sectie(s) {', '.join(sorted(unknown))}")
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        raise RoutingConfigError("'rule' moet een lijst van regels zijn ([[rule]])")
    seen = {}
    for i, rule in enumerate(rules):
        where = f"rule[{i}] {rule.get('municipality', '?')!r}"
        check_keys(where, rule, RULE_KEYS, REQUIRED_KEYS, RoutingConfigError)
        if not isinstance(rule["municipality"], str) or not CBS_CODE.fullmatch(rule["municipality"]):
            raise RoutingConfigError(f"{where}: 'municipality' moet een CBS-gemeentecode zijn, zoals GM0944")
        if not isinstance(rule["house"], str) or not rule["house"].strip():
            raise RoutingConfigError(f"{where}: 'house' moet de code van een huis zijn")
        case_types = rule["case_types"]
        if not isinstance(case_types, list) or not case_types or not all(isinstance(c, str) and c for c in case_types):
            raise RoutingConfigError(f"{where}: 'case_types' moet een niet-lege lijst van casustypecodes zijn")
        check_flags(where, rule, ["unless_criminal_law"], RoutingConfigError)
        note = rule.get("note", "")
        if not isinstance(note, str) or len(note) > NOTE_MAX:
            raise RoutingConfigError(f"{where}: 'note' moet een tekst van hoogstens {NOTE_MAX} tekens zijn")
        for code in case_types:
            key = (rule["municipality"], code)
            if key in seen:
                raise RoutingConfigError(f"{where}: thema '{code}' heeft al een regel voor deze gemeente ({seen[key]})")
            seen[key] = f"rule[{i}]"


@transaction.atomic
def load(data: dict) -> LoadResult:
    """Apply validated rules. Refuses (naming the entry) an unknown house or case type, and a rule that sends a
    gemeente's melding to its own house (that is what happens without a rule)."""
    from spil.casetypes.models import CaseType
    from spil.organisations.models import House, Municipality, RoutingRule

    municipalities = {m.cbs_code: m for m in Municipality.objects.select_related("house")}
    houses = {h.code: h for h in House.objects.all()}
    case_types = {c.code: c for c in CaseType.objects.all()}
    result = LoadResult()
    wanted: dict = {}  # municipality -> {case_type: RoutingRule values}
    for i, rule in enumerate(data.get("rule", [])):
        where = f"rule[{i}] {rule['municipality']!r}"
        municipality = municipalities.get(rule["municipality"])
        if municipality is None:
            if rule["municipality"] not in result.skipped:
                result.skipped.append(rule["municipality"])
            continue
        house = houses.get(rule["house"])
        if house is None:
            raise RoutingConfigError(f"{where}: onbekend huis '{rule['house']}'")
        if house.pk == municipality.house_id:
            raise RoutingConfigError(f"{where}: {municipality} hoort al bij {house}; een regel is dan niet nodig")
        for code in rule["case_types"]:
            if code not in case_types:
                raise RoutingConfigError(f"{where}: onbekend casustype '{code}'")
            wanted.setdefault(municipality, {})[case_types[code]] = {
                "house": house,
                "unless_criminal_law": rule.get("unless_criminal_law", False),
                "note": rule.get("note", "").strip(),
            }
    for municipality, rules in wanted.items():
        result.removed += RoutingRule.objects.filter(municipality=municipality).exclude(case_type__in=rules).delete()[0]
        for case_type, values in rules.items():
            RoutingRule.objects.update_or_create(municipality=municipality, case_type=case_type, defaults=values)
            result.rules += 1
    return result
