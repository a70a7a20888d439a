"""The reasons to see a row written out as SQL (`branches.as_sql`), as the statements that Django is slow to build use
them."""

from spil.access import branches
from spil.core.lookups import IdArray


def test_branches_are_ored_with_one_array_parameter_each():
    sql, params = branches.as_sql([{"id": IdArray([3, 1])}, {"house_id": [7], "case_type_id": [1, 2]}], "c")
    assert sql == "((c.id = ANY(%s::bigint[])) OR (c.house_id = ANY(%s::bigint[]) AND c.case_type_id = ANY(%s::bigint[])))"
    assert params == ["{3,1}", "{7}", "{1,2}"]


def test_a_column_the_statement_has_already_is_read_there():
    sql, _params = branches.as_sql([{"id": IdArray([3])}], "signal_case", columns={"id": "my_signal.case_id"})
    assert sql == "((my_signal.case_id = ANY(%s::bigint[])))"


def test_a_reason_the_user_does_not_have_is_left_out():
    sql, params = branches.as_sql([{"id": IdArray([])}, {"house_id": [7], "case_type_id": [1]}], "c")
    assert sql == "((c.house_id = ANY(%s::bigint[]) AND c.case_type_id = ANY(%s::bigint[])))"
    assert params == ["{7}", "{1}"]
    assert branches.as_sql([{"id": IdArray([])}, {"house_id": [], "case_type_id": [1]}], "c") == ("(false)", [])
