from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from crossborder.codes._codes import CountryCode, PlaceCode
from crossborder.errors import CurrencyMismatchError
from crossborder.explain._model import Explanation, Text
from crossborder.fx._rates import RateQuote
from crossborder.money._money import Money
from crossborder.tax._tariff import DutyRate

Reason = Literal[
    "charged",
    "charged_at_checkout",
    "estimate",
    "exempt",
    "zero_rated",
    "rounded_to_zero",
    "below_threshold",
    "relief_low_value",
    "flat_duty",
    "collected_by_marketplace",
    "reverse_charge",
    "domestic_sale",
    "not_applicable",
    "unquotable",
]
Collector = Literal["seller", "marketplace", "carrier", "buyer", "nobody"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Seller(_Frozen):
    """Who sells.

    Attributes:
        kind: ``direct`` (the seller's own shop) or ``marketplace`` (a platform
            that is the deemed supplier, e.g. Art. 14a of the EU VAT Directive).
        established_in: where the seller is established.
        registered: registered for the destination's collection scheme (EU
            IOSS, UK VAT, AU/NZ/SG GST, NO VOEC, CH VAT, US state sales tax,
            CA GST/HST); nothing is assumed (default ``False``); a marketplace
            is always taken as registered.
        eu_cross_border_sales: an EU-established seller's EU-wide cross-border
            B2C sales, this and last calendar year (for the EUR 10,000 test).
    """

    kind: Literal["direct", "marketplace"] = "direct"
    established_in: CountryCode
    registered: bool = False
    eu_cross_border_sales: Money | None = None


class Buyer(_Frozen):
    """Who buys: a consumer, or a business with a VAT id."""

    kind: Literal["consumer", "business"] = "consumer"
    vat_id: str | None = None

    @model_validator(mode="after")
    def _business_has_id(self) -> Buyer:
        if self.kind == "business" and not self.vat_id:
            raise ValueError("a business buyer needs a vat_id (or kind='consumer')")
        return self


class Line(_Frozen):
    """One line of an order.

    ``hs_code`` is kept as given: a missing or malformed code makes the
    line unquotable (with the reason) without stopping the rest.
    """

    description: Text
    hs_code: str | None = None
    quantity: int = Field(gt=0, le=1_000_000)
    unit_price: Money
    origin: CountryCode
    unit_weight_kg: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)] | None = None
    category: str = "standard"

    @model_validator(mode="after")
    def _price(self) -> Line:
        if self.unit_price.minor < 0:
            raise ValueError("unit_price must not be negative")
        return self


class Shipment(_Frozen):
    """A cross-border order to quote.

    Attributes:
        lines: the goods.
        shipping: what the buyer pays for delivery (to the door).
        insurance: what the buyer pays for insurance.
        ship_from: where the goods leave from (a warehouse inside the
            destination makes the sale domestic).
        destination: country or subdivision (``US-CA``, ``CA-QC``).
        incoterm: ``DDP`` (the seller pays the border charges and the buyer
            pays them at checkout) or ``DAP`` (the buyer pays at delivery).
        mode: ``post`` or ``courier``.
    """

    lines: tuple[Line, ...] = Field(min_length=1, max_length=10_000)
    shipping: Money | None = None
    insurance: Money | None = None
    ship_from: PlaceCode
    destination: PlaceCode
    seller: Seller
    buyer: Buyer = Buyer()
    incoterm: Literal["DDP", "DAP"] = "DAP"
    mode: Literal["post", "courier"] = "courier"

    @property
    def currency(self) -> str:
        """The order currency (every price shares it)."""
        return self.lines[0].unit_price.currency

    @model_validator(mode="after")
    def _one_currency(self) -> Shipment:
        amounts = [line.unit_price for line in self.lines] + [
            m for m in (self.shipping, self.insurance) if m is not None
        ]
        currencies = sorted({m.currency for m in amounts})
        if len(currencies) > 1:
            raise CurrencyMismatchError(
                f"an order has one currency; got {', '.join(currencies)}: convert the prices first"
            )
        if any(m.minor < 0 for m in amounts):
            raise ValueError("prices, shipping and insurance must not be negative")
        return self


class Charge(_Frozen):
    """A tax, duty or fee due on the order, who collects it and when."""

    name: str
    amount: Money
    collector: Collector
    due: Literal["checkout", "delivery", "self_assessed"]


class LineQuote(_Frozen):
    """What one line owes, and why.

    A zero always comes with a reason code (``below_threshold``,
    ``collected_by_marketplace``...); an incomplete HS code gives a duty
    range (``duty_min``..``duty_max``) flagged ``estimate``; a line that
    cannot be quoted says why in ``problem``.
    """

    index: int
    description: str
    hs_code: str | None
    status: Literal["quoted", "estimate", "unquotable"]
    value: Money
    customs_value: Money
    duty: Money | None
    duty_min: Money | None = None
    duty_max: Money | None = None
    duty_reason: Reason
    duty_rates: tuple[DutyRate, ...] = ()
    tax: Money | None
    tax_rate: Decimal | None
    tax_reason: Reason
    problem: str | None = None


class LandedCost(_Frozen):
    """The duties, taxes and fees on a cross-border order, who collects them, and why.

    Amounts are in the destination currency; ``due_at_checkout`` is also
    given in the order currency (what the storefront adds to the basket).
    """

    destination: str
    as_of: _dt.date
    regime: str
    regime_title: str
    currency: str
    order_currency: str
    goods_value: Money
    lines: tuple[LineQuote, ...]
    charges: tuple[Charge, ...]
    duty_total: Money
    tax_total: Money
    due_at_checkout: Money
    due_at_checkout_order_currency: Money
    due_at_delivery: Money
    landed_total: Money
    fx: RateQuote | None
    complete: bool
    warnings: tuple[str, ...]
    explanation: Explanation
