"""`connection.before_commit` (spil.core.postgresql): work that runs as a transaction's last statements, dropped with
the savepoint or transaction it was registered in. The tests commit for real, so they write to a temporary table."""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def written():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE written (what text)")

    def rows() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT what FROM written ORDER BY what")
            return [what for (what,) in cursor.fetchall()]

    yield rows
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE written")


def write(what: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO written VALUES (%s)", [what])


def write_all(items: list[str]) -> None:
    for what in items:
        write(what)


def later(what: str, key=()) -> None:
    connection.before_commit(write_all, what, key=key)


def test_runs_inside_the_transaction_just_before_it_commits(written):
    with transaction.atomic():
        write("a")
        later("b")
        assert written() == ["a"]
    assert written() == ["a", "b"]


def test_a_failing_callback_rolls_the_whole_transaction_back(written):
    def fail(items):
        write_all(items)
        raise RuntimeError("the last statements failed")

    with pytest.raises(RuntimeError), transaction.atomic():
        write("a")
        connection.before_commit(fail, "b", key=())
    assert written() == []
    with transaction.atomic():  # the connection is usable again, and the failed callback is gone
        write("c")
    assert written() == ["c"]


def test_a_callback_is_dropped_with_its_savepoint(written):
    with transaction.atomic():
        later("outer")
        with pytest.raises(RuntimeError), transaction.atomic():
            later("inner")
            raise RuntimeError("the inner block failed")
    assert written() == ["outer"]


def test_a_callback_is_dropped_with_its_transaction(written):
    with pytest.raises(RuntimeError), transaction.atomic():
        later("rolled back")
        raise RuntimeError("the transaction failed")
    with transaction.atomic():
        write("next")
    assert written() == ["next"]


def test_one_flush_per_key_in_key_order_with_the_items_as_registered():
    flushed = []
    with transaction.atomic():
        connection.before_commit(flushed.append, "b1", key=(2,))
        connection.before_commit(flushed.append, "a1", key=(1,))
        connection.before_commit(flushed.append, "b2", key=(2,))
        connection.before_commit(flushed.append, "a2", key=(1,))
    assert flushed == [["a1", "a2"], ["b1", "b2"]]


def test_needs_an_open_transaction():
    with pytest.raises(RuntimeError, match="open transaction"):
        connection.before_commit(write_all, "nothing", key=())


def test_a_commit_refused_inside_an_atomic_block_keeps_the_work_for_the_real_commit(written):
    with transaction.atomic():
        later("a")
        with pytest.raises(TransactionManagementError):
            connection.commit()
        assert written() == []
    assert written() == ["a"]
