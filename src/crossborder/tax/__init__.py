"""Tax: VAT/GST/sales-tax rates with history, VAT identifiers, duties and landed cost.

>>> import datetime
>>> from crossborder.tax import vat_rate
>>> vat_rate("IE", as_of=datetime.date(2020, 9, 1)).rate
Decimal('0.21')
"""

from crossborder.tax._batch import BatchQuotes, landed_cost_batch
from crossborder.tax._landed import landed_cost
from crossborder.tax._rates import (
    CATEGORIES,
    RATE_KINDS,
    PriceBreakdown,
    TaxComponent,
    TaxRate,
    price_breakdown,
    vat_rate,
)
from crossborder.tax._shipment import (
    Buyer,
    Charge,
    LandedCost,
    Line,
    LineQuote,
    Seller,
    Shipment,
)
from crossborder.tax._tariff import (
    DutyRate,
    LayeredTariff,
    PackagedTariff,
    SpecificDuty,
    TariffMatch,
    TariffProvider,
    TariffTable,
)
from crossborder.tax._vatid import VatId, is_valid_vat_id, validate_vat_id
from crossborder.tax._vies import ViesResult, check_vies

__all__ = [
    "CATEGORIES",
    "RATE_KINDS",
    "BatchQuotes",
    "Buyer",
    "Charge",
    "DutyRate",
    "LandedCost",
    "LayeredTariff",
    "Line",
    "LineQuote",
    "PackagedTariff",
    "PriceBreakdown",
    "Seller",
    "Shipment",
    "SpecificDuty",
    "TariffMatch",
    "TariffProvider",
    "TariffTable",
    "TaxComponent",
    "TaxRate",
    "VatId",
    "ViesResult",
    "check_vies",
    "is_valid_vat_id",
    "landed_cost",
    "landed_cost_batch",
    "price_breakdown",
    "validate_vat_id",
    "vat_rate",
]
