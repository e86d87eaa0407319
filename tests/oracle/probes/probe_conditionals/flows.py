"""Probe conditionals: every comparison, conjunctions, nesting, failure, outputs downstream."""

from __future__ import annotations

from compiler import conditional, workflow
from probe_conditionals.tasks import (
    boxed,
    halve,
    is_even,
    log,
    maybe,
    negate,
    pair_of,
    ratio,
    shout,
    square,
)


@workflow
def sign(n: int) -> int:
    return (
        conditional("sign")
        .if_(n > 0)
        .then(square(n=n))
        .elif_(n < 0)
        .then(negate(n=n))
        .else_()
        .then(halve(n=n))
    )


@workflow
def every_comparison(n: int, m: int) -> int:
    return (
        conditional("compare")
        .if_(n == 1)
        .then(square(n=n))
        .elif_(n != m)
        .then(square(n=m))
        .elif_(n <= 2)
        .then(halve(n=n))
        .elif_(n >= m)
        .then(halve(n=m))
        .elif_(n < m)
        .then(negate(n=n))
        .else_()
        .then(negate(n=m))
    )


@workflow
def conjunctions(n: int, m: int) -> int:
    return (
        conditional("both")
        .if_((n > 0) & (m > 0))
        .then(square(n=n))
        .elif_((n < 0) | (m < 0) & (n == m))
        .then(negate(n=m))
        .else_()
        .then(halve(n=n))
    )


@workflow
def downstream(n: int) -> float:
    even = is_even(n=n)
    picked = (
        conditional("parity")
        .if_(even.is_true())
        .then(halve(n=n))
        .elif_(even.is_false())
        .then(square(n=n))
        .else_()
        .fail("a bool is neither true nor false")
    )
    return ratio(a=picked, b=n)


@workflow
def failing(n: int) -> int:
    return conditional("guard").if_(n >= 0).then(square(n=n)).else_().fail("n must not be negative")


@workflow
def nested(n: int) -> int:
    first = square(n=n)
    return (
        conditional("outer")
        .if_(first > 10)
        .then(conditional("inner").if_(n > 100).then(halve(n=first)).else_().then(negate(n=first)))
        .else_()
        .then(square(n=first))
    )


@workflow
def optional_word(word: str) -> None:
    found = maybe(word=word)
    conditional("present").if_(found.is_none()).then(log(word="nothing")).else_().then(
        log(word="something")
    )


@workflow
def two_promises(n: int, word: str = "hi") -> str:
    doubled = square(n=n)
    return (
        conditional("cmp")
        .if_(doubled > n)
        .then(shout(word=word))
        .elif_(3.5 < doubled)  # noqa: SIM300 (a reflected comparison)
        .then(shout(word="float"))
        .else_()
        .then(shout(word="none"))
    )


@workflow
def case_reads_a_node(n: int) -> int:
    first = square(n=n)
    return conditional("reads").if_(n > 2).then(halve(n=first)).else_().then(negate(n=first))


@workflow
def tuple_cases(n: int, word: str = "abc") -> tuple[int, str]:
    pair = conditional("pairs").if_(word == "abc").then(pair_of(n=n)).else_().then(pair_of(n=0))
    return pair[0], pair[1]


@workflow
def sub_in_case(n: int) -> int:
    return conditional("sub").if_(n < 10).then(sign(n=n)).else_().then(nested(n=n))


@workflow
def uses_sub_with_conditional(n: int) -> float:
    return ratio(a=sign(n=n), b=n)


@workflow
def constants_of_types(x: float, word: str, flag: bool) -> int:
    return (
        conditional("types")
        .if_(x >= 1.5)
        .then(square(n=1))
        .elif_(word != "skip")
        .then(square(n=2))
        .elif_(flag.is_true() | (x < -0.25))
        .then(square(n=3))
        .else_()
        .then(square(n=4))
    )


@workflow
def ordered(n: int) -> int:
    before = log(word="start")
    result = conditional("after").if_(n > 0).then(square(n=n)).else_().then(negate(n=n))
    before >> result
    return result


@workflow
def field_condition(n: int) -> int:
    box = boxed(n=n)
    return (
        conditional("field")
        .if_((box.size > 3) & (box.size != 5))
        .then(square(n=box.size))
        .else_()
        .then(negate(n=n))
    )
