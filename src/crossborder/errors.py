"""Typed errors raised by crossborder.

Every error the library raises on purpose derives from one root, so a caller
can catch all of them at once. Input errors are also :class:`ValueError`,
lookups that find nothing are also :class:`LookupError`, and mixing
currencies is also a :class:`TypeError`, so code written against the
built-in exceptions keeps working.

The tree::

    CrossborderError
    ├── InputError (ValueError)             bad input from the caller
    │   ├── InvalidAmountError              float, NaN, "1,5", None, ...
    │   │   ├── PrecisionError              more decimals than the currency has
    │   │   └── AmountOutOfRangeError       outside the signed 64-bit minor-unit range
    │   ├── InvalidCodeError                unknown country, currency or HS code
    │   ├── InvalidVatIdError               a VAT id with a bad format or checksum
    │   ├── InvalidDateError                not a date, or a datetime
    │   └── CurrencyMismatchError (TypeError)   EUR + USD
    ├── NotFoundError (LookupError)         nothing found for a valid question
    │   ├── RateUnavailableError            no exchange rate for that pair and date
    │   ├── RuleNotFoundError               no rule with that id
    │   └── NoApplicableRuleError           the rule has no version for that date
    │       └── ProvisionalRuleError        only a provisional version, not asked for
    ├── RuleDataError                       a packaged or overlay data file is broken
    └── ServiceError                        an opt-in online service failed or timed out

Each error carries its context as attributes (``code``, ``as_of``,
``rule_id``, ``path``, ``field``, ``hint``) besides a message that says what
was wrong and what was expected.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

__all__ = [
    "AmountOutOfRangeError",
    "CrossborderError",
    "CurrencyMismatchError",
    "InputError",
    "InvalidAmountError",
    "InvalidCodeError",
    "InvalidDateError",
    "InvalidVatIdError",
    "NoApplicableRuleError",
    "NotFoundError",
    "PrecisionError",
    "ProvisionalRuleError",
    "RateUnavailableError",
    "RuleDataError",
    "ServiceError",
    "RuleNotFoundError",
]


class CrossborderError(Exception):
    """Root of every error raised by crossborder."""

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context: dict[str, Any] = context
        for key, value in context.items():
            setattr(self, key, value)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuild without calling __init__, so subclasses with required keywords pickle too
        return (_rebuild, (type(self), self.message, self.context))


def _rebuild(
    cls: type[CrossborderError], message: str, context: dict[str, Any]
) -> CrossborderError:
    error = cls.__new__(cls)
    CrossborderError.__init__(error, message, **context)
    return error


class InputError(CrossborderError, ValueError):
    """The caller passed a value the library cannot accept."""


class InvalidAmountError(InputError):
    """An amount is not an exact finite number (float, NaN, None, text)."""


class PrecisionError(InvalidAmountError):
    """An amount has more decimals than its currency and no rounding was named."""


class AmountOutOfRangeError(InvalidAmountError):
    """An amount does not fit the signed 64-bit range of minor units."""


class InvalidCodeError(InputError):
    """A country, subdivision, currency or HS code is malformed or unknown.

    Attributes:
        code: the value as given.
        hint: what was probably meant, when the library can tell.
    """

    code: object
    hint: str | None

    def __init__(self, message: str, *, code: object, hint: str | None = None, **ctx: Any) -> None:
        if hint:
            message = f"{message} ({hint})"
        super().__init__(message, code=code, hint=hint, **ctx)


class InvalidVatIdError(InputError):
    """A VAT or tax identifier failed validation.

    Attributes:
        vat_id: the identifier as given.
        reason: ``format``, ``length``, ``checksum``, ``component`` or ``country``.
    """


class InvalidDateError(InputError):
    """A date argument is missing, not a ``datetime.date``, or a ``datetime``."""


class CurrencyMismatchError(InputError, TypeError):
    """An operation mixed two currencies; convert explicitly first."""


class NotFoundError(CrossborderError, LookupError):
    """A well-formed question had no answer in the data."""


class RateUnavailableError(NotFoundError):
    """No exchange rate for the pair and date under the stated policy."""


class RuleNotFoundError(NotFoundError):
    """No rule with the given id exists in the rule book.

    Attributes:
        rule_id: the id asked for.
        as_of: the date asked for, when there was one.
    """

    rule_id: object
    as_of: _dt.date | None

    def __init__(
        self, message: str, *, rule_id: object, as_of: _dt.date | None = None, **ctx: Any
    ) -> None:
        super().__init__(message, rule_id=rule_id, as_of=as_of, **ctx)


class NoApplicableRuleError(NotFoundError):
    """A rule exists but has no version in force on the requested date.

    Attributes:
        rule_id: the rule asked for.
        as_of: the date asked for.
        covered: the date ranges the data covers, as ``(valid_from, valid_to)``
            pairs (``valid_to`` exclusive, ``None`` when open).
    """

    rule_id: str
    as_of: _dt.date
    covered: tuple[tuple[_dt.date, _dt.date | None], ...]


class RuleDataError(CrossborderError):
    """A rule or data file is malformed.

    Attributes:
        path: the file.
        field: the dotted location of the faulty field, when known.
    """

    path: str | None
    field: str | None

    def __init__(
        self, message: str, *, path: str | None = None, field: str | None = None, **ctx: Any
    ) -> None:
        super().__init__(message, path=path, field=field, **ctx)


class ProvisionalRuleError(NoApplicableRuleError):
    """The version in force is provisional or expected, and was not asked for."""


class ServiceError(CrossborderError):
    """An opt-in online service (live rates, VIES) failed, refused or timed out.

    Attributes:
        service: which service.
    """
