from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crossborder._checks import check_date
from crossborder.explain._model import Citation, Text


class Currency(BaseModel):
    """An ISO 4217 currency as the library knows it.

    Attributes:
        code: alphabetic code, e.g. ``EUR``.
        numeric: numeric code as three digits, e.g. ``978``.
        exponent: ISO minor unit (decimals); ``None`` where ISO says N.A. (XAU, XDR...).
        name: ISO English name.
        cash_increment: smallest cash step in minor units (CHF 5, DKK 50, SEK 100).
        valid_from: first day in use, for codes introduced since 2000.
        valid_to: first day no longer in use (exclusive), for retired codes.
        replaced_by: the code that replaced a retired one.
        citations: sources for the dates above.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    numeric: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    exponent: int | None = Field(default=None, ge=0, le=4)
    name: Text
    cash_increment: int = Field(default=1, ge=1)
    valid_from: _dt.date | None = None
    valid_to: _dt.date | None = None
    replaced_by: str | None = None
    status: Literal["enacted", "provisional"] = "enacted"
    note: str | None = None
    citations: tuple[Citation, ...] = ()

    def in_use(self, as_of: _dt.date) -> bool:
        """Whether the code was the currency in use on ``as_of``."""
        as_of = check_date(as_of)
        started = self.valid_from is None or self.valid_from <= as_of
        return started and (self.valid_to is None or as_of < self.valid_to)


class CurrencyFile(BaseModel):
    """Schema of the packaged ISO 4217 table."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    kind: Literal["currencies"]
    schema_: Literal[1] = Field(alias="schema")
    title: Text
    review_by: _dt.date
    description: str | None = None
    citations: tuple[Citation, ...] = Field(min_length=1)
    currencies: tuple[Currency, ...] = Field(min_length=1)
