from django.db.models import Field, Lookup


@Field.register_lookup
class AnyOf(Lookup):
    """`field__any=[...]`: `field = ANY(%s)`, the list sent as one array parameter.

    PostgreSQL plans it exactly as `IN (...)`, but a long `IN` list (a regisseur's 500 team cases) is one parameter per
    value: psycopg then adapts every value and parses the statement again on each request, since it caches only
    statements of at most 50 parameters."""

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
