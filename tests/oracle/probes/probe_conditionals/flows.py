"""Probe conditionals: every comparison, conjunctions, nesting, failure, outputs downstream."""

from __future__ import annotations

from compiler import conditional, workflow
from probe_conditionals.tasks import halve, is_even, log, maybe, negate, ratio, shout, square


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
