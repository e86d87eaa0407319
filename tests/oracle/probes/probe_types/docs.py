"""Docstring styles and their descriptions (WIRE-FORMAT 10 and 14)."""

from compiler import task


@task
def starts_with_param(x: int) -> int:
    """:param x: The value.
    :return: The same value.
    """
    return x


@task
def wrapped_summary(x: int, y: str = "") -> str:
    """A summary that is long enough that it wraps
    onto a second line.

    Then a body paragraph.

    :param int x: A typed sphinx parameter
        continued on a second line.
    :param y:
    :param not_a_param: Ignored.
    :returns: Text.
    """
    return y * x


@task
def google_typed_returns(count: int, label: str) -> tuple[int, str]:
    """Google style with a typed return entry.

    Args:
        count (int): How many.
        label: A label
            spanning two lines.

    Returns:
        int: The count and the label.
    """
    return count, label


@task
def numpy_style(a: int, b: int) -> tuple[int, int]:
    """NumPy style with named returns.

    Parameters
    ----------
    a : int
        First.
    b : int
        Second.

    Returns
    -------
    o0 : int
        The sum.
    o1 : int
        The product.
    """
    return a + b, a * b


@task
def summary_trailing_space(a: int) -> int:
    """Summary with a trailing space\x20

    Body.
    """
    return a


@task
def no_docstring(a: int) -> int:
    return a


@task
def duplicated_param(x: int) -> int:
    """Documented twice.

    :param x: First text.
    :param x: Second text.
    :return: Out.
    :return: Out again.
    """
    return x


@task
def malformed_fields(x: int, y: int) -> int:
    """Fields without their colons.

    :param x
    Args:
        y (int: broken
    """
    return x + y
