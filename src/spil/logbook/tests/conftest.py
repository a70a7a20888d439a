import pytest

from spil.logbook import chain, tracing


@pytest.fixture
def traces_in_two_partitions() -> dict:
    """Two traces whose records go to different partitions of the chains, by partition."""
    traces = {}
    while len(traces) < 2:
        with tracing.traced() as trace:
            traces.setdefault(chain.partition_for(trace.trace_id), trace)
    return traces
