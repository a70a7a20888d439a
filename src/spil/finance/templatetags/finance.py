from django import template

from spil.finance import numbers

register = template.Library()


@register.filter
def euro(value) -> str:
    """`€ 1.658.940,00`, or `PM` for no amount."""
    return numbers.euro(value)


@register.filter
def euro_whole(value) -> str:
    return numbers.euro(value, 0)


@register.filter
def decimal_nl(value, places=2) -> str:
    """A number with a decimal comma: `0,40`; empty stays empty."""
    return "" if value is None else numbers.grouped(value, int(places))


@register.filter
def signed_euro(value) -> str:
    """A difference: `+ € 1,00`, `- € 5.000,00` or `€ 0,00`."""
    if value is None:
        return ""
    if value > 0:
        return f"+{numbers.NBSP}{numbers.euro(value)}"
    if value < 0:
        return f"-{numbers.NBSP}{numbers.euro(-value)}"
    return numbers.euro(value)
