"""Properties of routing a melding by region, over generated routing-rule tables and meldingen (Hypothesis).

Every example writes its own rule table inside a savepoint and rolls it back; the Limburg world stays.
"""

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from spil.casetypes.models import CaseType
from spil.core.errors import DomainError
from spil.intake import routing
from spil.organisations.models import House, Municipality, RoutingRule
from spil.testing.properties import with_database

from .routing_world import limburg_fixture  # noqa: F401 (the fixture `limburg`)

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ["Heerlen", "Sittard-Geleen", "Maastricht", "Venlo", "Mook en Middelaar", "Nijmegen", "Roermond"]
CASE_TYPES = ["pga", "levensloop", "wth", "zsm", "nazorg", "mda"]
HOUSES = ["parkstad", "westelijke-mijnstreek", "maastricht-heuvelland", "noord-limburg", "gelderland-zuid", "midden-limburg"]

# A rule table: for some (gemeente, theme) pairs, the house that takes it instead, and whether criminal law undoes that.
rule_tables = st.dictionaries(
    st.tuples(st.sampled_from(MUNICIPALITIES), st.sampled_from(CASE_TYPES)),
    st.tuples(st.sampled_from(HOUSES), st.booleans()),
    max_size=12,
)
# The persons of a melding: some without a known gemeente, and the gemeente of the others.
# (Mostly gemeenten of the two regions: those are the ones routed by the rules.)
person_gemeenten = st.lists(st.one_of(st.none(), st.sampled_from(MUNICIPALITIES[:5] * 3 + MUNICIPALITIES[5:])), min_size=1, max_size=4)


@settings(with_database, max_examples=60)
@given(
    rules=rule_tables,
    own_rule=st.one_of(st.none(), st.tuples(st.sampled_from(HOUSES), st.booleans())),
    gemeenten=person_gemeenten,
    case_type=st.sampled_from(CASE_TYPES),
    criminal_law=st.booleans(),
    zuid=st.booleans(),
)
def test_the_rules_decide_within_the_region_and_criminal_law_never_takes_the_exception(
    limburg, rules, own_rule, gemeenten, case_type, criminal_law, zuid
):
    region, actor = (limburg.zuid, limburg.loket) if zuid else (limburg.noord_region, limburg.intake_noord)
    by_name = {m.name: m for m in Municipality.objects.select_related("house")}
    themes = {c.code: c for c in CaseType.objects.filter(code__in=CASE_TYPES)}
    houses = {h.code: h for h in House.objects.filter(code__in=HOUSES)}
    persons = [{"first_names": "Jan", "surname": "Jansen", "municipality": by_name[name] if name else None} for name in gemeenten]

    def route(table):
        with transaction.atomic():
            RoutingRule.objects.all().delete()
            RoutingRule.objects.bulk_create(
                RoutingRule(municipality=by_name[m], case_type=themes[c], house=houses[h], unless_criminal_law=unless)
                for (m, c), (h, unless) in table.items()
            )
            try:
                return routing.destination(
                    actor=actor,
                    house=None,
                    region=region,
                    case_type=themes[case_type],
                    persons=persons,
                    criminal_law=criminal_law,
                    reason="",
                )
            except DomainError as error:
                return error
            finally:
                transaction.set_rollback(True)

    deciding = next((name for name in gemeenten if name is not None), None)
    if own_rule is not None and deciding is not None:  # often a rule for this very melding, not only by chance
        rules[(deciding, case_type)] = own_rule
    result = route(rules)
    if deciding is None:  # nobody's gemeente is known (and no BSN to look up the last known one)
        assert isinstance(result, DomainError) and str(result) == routing.NO_MUNICIPALITY
        return
    gemeente = by_name[deciding]
    if gemeente.house.intake_region_id != region.pk:  # the loket serves only the gemeenten of its region's houses
        assert isinstance(result, DomainError) and "niet via intakeregio" in str(result)
        return
    assert not isinstance(result, DomainError), result
    assert result.region == region
    rule = rules.get((deciding, case_type))
    if rule is None:
        assert result.house == gemeente.house  # no rule: the gemeente's own house
    elif criminal_law and rule[1]:
        assert result.house == gemeente.house  # criminal law undoes the exception, whatever house the rule names
        assert result.note.startswith("Strafrechtelijk kader")
    else:
        assert result.house.code == rule[0]
    # The house is one of the region, unless a rule of this gemeente and theme names it.
    assert result.house.intake_region_id == region.pk or (rule is not None and result.house.code == rule[0])
    # Rules of other gemeenten or other themes never matter: with only this gemeente's rule for the theme (if any),
    # the melding goes to the same house.
    assert route({key: rules[key] for key in [(deciding, case_type)] if key in rules}) == result
