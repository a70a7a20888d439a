from spil.persons.bsn import bsn_hash, normalise
from spil.persons.models import Person

PERSON_FIELDS = ["bsn", "first_names", "surname_prefix", "surname", "birth_date", "address", "postcode", "city", "municipality"]


def create_person(data: dict) -> Person:
    """Register a person as given at intake. Matching against known persons comes with the regional intake."""
    values = {name: data.get(name) for name in PERSON_FIELDS if data.get(name) not in (None, "")}
    if bsn := values.get("bsn"):
        values["bsn"] = normalise(bsn)
        values["bsn_hash"] = bsn_hash(bsn)
    return Person.objects.create(**values)
