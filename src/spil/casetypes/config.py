"""Reading, validating and loading the case-type configuration (`fixtures/case_types.toml`).

The loader takes an app registry so the data migration can run it against historical models.
An invalid file fails loudly, naming the offending entry, before anything is written.
"""

from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

from spil.casetypes.models import DEFAULT_EVALUATION_INTERVAL_DAYS, DEFAULT_STAGNATION_DAYS
from spil.core.config_files import check_flags, check_keys, check_positive_int, read_toml

FIXTURE = Path(__file__).parent / "fixtures" / "case_types.toml"

LIFE_DOMAIN_KEYS = {"code", "name"}
CASE_TYPE_KEYS = {
    "code",
    "name",
    "description",
    "restricted",
    "separate_dossiers",
    "label_for",
    "lead_time_days",
    "life_domains",
    "phases",
    "evaluation_interval_days",
    "stagnation_days",
    "measure_days",
    "measure_max_days",
    "processing_activity",
}
PHASE_KEYS = {"code", "name", "lead_time_days"}
OPTIONAL_DAYS = ["evaluation_interval_days", "stagnation_days", "measure_days", "measure_max_days"]


class CaseTypeConfigError(ValueError):
    pass


def read(path: Path = FIXTURE) -> dict:
    return read_toml(path, validate, CaseTypeConfigError)


def _check_keys(where: str, entry: dict, allowed: set[str], required: set[str]) -> None:
    check_keys(where, entry, allowed, required, CaseTypeConfigError)


def _check_days(where: str, value, key: str = "lead_time_days") -> None:
    check_positive_int(where, key, value, CaseTypeConfigError)


def _check_unique(where: str, codes: list[str]) -> None:
    seen = set()
    for code in codes:
        if code in seen:
            raise CaseTypeConfigError(f"{where}: code '{code}' komt dubbel voor")
        seen.add(code)


def validate(data: dict) -> None:
    if unknown := set(data) - {"life_domain", "case_type"}:
        raise CaseTypeConfigError(f"onbekende sectie(s) {', '.join(sorted(unknown))}")
    domains = data.get("life_domain", [])
    for i, domain in enumerate(domains):
        _check_keys(f"life_domain[{i}] {domain.get('code', '?')!r}", domain, LIFE_DOMAIN_KEYS, LIFE_DOMAIN_KEYS)
    _check_unique("life_domain", [d["code"] for d in domains])
    domain_codes = {d["code"] for d in domains}

    case_types = data.get("case_type", [])
    if not case_types:
        raise CaseTypeConfigError("geen enkel case_type gedefinieerd")
    for i, case_type in enumerate(case_types):
        where = f"case_type[{i}] {case_type.get('code', '?')!r}"
        _check_keys(where, case_type, CASE_TYPE_KEYS, {"code", "name", "lead_time_days", "phases", "processing_activity"})
        _check_days(where, case_type["lead_time_days"])
        for key in OPTIONAL_DAYS:
            if key in case_type:
                _check_days(where, case_type[key], key)
        if ("measure_days" in case_type) != ("measure_max_days" in case_type):
            raise CaseTypeConfigError(f"{where}: 'measure_days' en 'measure_max_days' horen bij elkaar")
        if case_type.get("measure_max_days", 0) < case_type.get("measure_days", 0):
            raise CaseTypeConfigError(f"{where}: 'measure_max_days' mag niet korter zijn dan 'measure_days'")
        check_flags(where, case_type, ["restricted", "separate_dossiers"], CaseTypeConfigError)
        if not isinstance(case_type.get("description", ""), str):
            raise CaseTypeConfigError(f"{where}: 'description' moet een tekst zijn")
        if not isinstance(case_type.get("life_domains", []), list):
            raise CaseTypeConfigError(f"{where}: 'life_domains' moet een lijst van codes zijn")
        for code in case_type.get("life_domains", []):
            if code not in domain_codes:
                raise CaseTypeConfigError(f"{where}: onbekend leefgebied '{code}'")
        phases = case_type["phases"]
        if not isinstance(phases, list) or not phases:
            raise CaseTypeConfigError(f"{where}: minstens één fase nodig")
        for j, phase in enumerate(phases):
            phase_where = f"{where} phases[{j}] {phase.get('code', '?')!r}"
            _check_keys(phase_where, phase, PHASE_KEYS, PHASE_KEYS)
            _check_days(phase_where, phase["lead_time_days"])
        _check_unique(f"{where} phases", [p["code"] for p in phases])
    _check_unique("case_type", [c["code"] for c in case_types])
    if len({c["name"] for c in case_types}) != len(case_types):
        duplicate = next(c for i, c in enumerate(case_types) if c["name"] in {d["name"] for d in case_types[:i]})
        raise CaseTypeConfigError(f"case_type {duplicate['code']!r}: naam '{duplicate['name']}' komt dubbel voor")

    products = {c["code"] for c in case_types if not c.get("label_for")}
    for i, case_type in enumerate(case_types):
        target = case_type.get("label_for")
        if target is not None and target not in products:
            raise CaseTypeConfigError(f"case_type[{i}] {case_type['code']!r}: 'label_for' verwijst naar '{target}', dat geen casustype is")


@transaction.atomic
def load(data: dict, apps=global_apps) -> None:
    """Create or update life domains and case types by code. Assumes `validate(data)` passed."""
    LifeDomain = apps.get_model("casetypes", "LifeDomain")
    activities = {a.code: a for a in apps.get_model("logbook", "ProcessingActivity").objects.all()}
    CaseType = apps.get_model("casetypes", "CaseType")
    Phase = apps.get_model("casetypes", "Phase")
    known_fields = {field.name for field in CaseType._meta.get_fields()}

    for order, domain in enumerate(data.get("life_domain", []), start=1):
        LifeDomain.objects.update_or_create(code=domain["code"], defaults={"name": domain["name"], "order": order})

    by_code = {}
    for entry in data["case_type"]:
        if entry["processing_activity"] not in activities:
            raise CaseTypeConfigError(f"case_type {entry['code']!r}: onbekende verwerkingsactiviteit '{entry['processing_activity']}'")
        values = {
            "name": entry["name"],
            "description": entry.get("description", "").strip(),
            "restricted": entry.get("restricted", False),
            "separate_dossiers": entry.get("separate_dossiers", False),
            "lead_time_days": entry["lead_time_days"],
            "evaluation_interval_days": entry.get("evaluation_interval_days", DEFAULT_EVALUATION_INTERVAL_DAYS),
            "stagnation_days": entry.get("stagnation_days", DEFAULT_STAGNATION_DAYS),
            "measure_days": entry.get("measure_days"),
            "measure_max_days": entry.get("measure_max_days"),
            "label_for": None,
            "processing_activity": activities[entry["processing_activity"]],
        }
        # Migrations load with historical models, which may predate a field that a later migration adds and fills.
        values = {key: value for key, value in values.items() if key in known_fields}
        case_type, _ = CaseType.objects.update_or_create(code=entry["code"], defaults=values)
        case_type.life_domains.set(LifeDomain.objects.filter(code__in=entry.get("life_domains", [])))
        _load_phases(Phase, case_type, entry["phases"])
        by_code[entry["code"]] = case_type
    for entry in data["case_type"]:
        if entry.get("label_for"):
            CaseType.objects.filter(pk=by_code[entry["code"]].pk).update(label_for=by_code[entry["label_for"]])


def _load_phases(Phase, case_type, phases: list[dict]) -> None:
    # Phase orders are unique per case type: park existing ones above every order in use or to be used
    # before renumbering. Phases left out of the file are kept (cases may be in them), after the configured ones.
    existing = {p.code: p for p in Phase.objects.filter(case_type=case_type).order_by("order")}
    parking = max([len(phases) + len(existing), *(p.order for p in existing.values())])
    for offset, phase in enumerate(existing.values(), start=1):
        Phase.objects.filter(pk=phase.pk).update(order=parking + offset)
    for order, entry in enumerate(phases, start=1):
        values = {"name": entry["name"], "order": order, "lead_time_days": entry["lead_time_days"]}
        if entry["code"] in existing:
            Phase.objects.filter(pk=existing[entry["code"]].pk).update(**values)
        else:
            Phase.objects.create(case_type=case_type, code=entry["code"], **values)
    configured = {entry["code"] for entry in phases}
    left_out = [phase for code, phase in existing.items() if code not in configured]
    for order, phase in enumerate(left_out, start=len(phases) + 1):
        Phase.objects.filter(pk=phase.pk).update(order=order)
