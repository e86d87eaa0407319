"""Property tests of canonical quantities: numbers always give a valid, exact quantity."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from compiler.proto.resources import _QUANTITY, ResourceName, canonical_quantity


@given(st.integers(min_value=1, max_value=10**15), st.sampled_from(list(ResourceName)))
def test_ints_are_their_digits(value, name):
    assert canonical_quantity(value, name) == str(value)


@given(st.integers(min_value=1, max_value=10**6))
def test_cpu_millicores_round_trip(millis):
    quantity = canonical_quantity(millis / 1000, ResourceName.CPU)
    assert quantity is not None and _QUANTITY.match(quantity)
    if millis % 1000 == 0:
        assert quantity == str(millis // 1000)
    else:
        assert quantity == f"{millis}m"
        assert Decimal(quantity[:-1]) / 1000 == Decimal(millis) / 1000


@given(
    st.from_regex(r"\A[0-9]{1,6}(\.[0-9]{1,3})?(Ki|Mi|Gi|Ti|m|k|M|G)?\Z"),
    st.sampled_from(list(ResourceName)),
)
def test_valid_strings_pass_through(text, name):
    assert canonical_quantity(text, name) == text
