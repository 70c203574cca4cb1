"""Exchange rates and exact conversion.

Rates are always passed in: a :class:`RateProvider` supplies fixings, and
:func:`get_rate` / :func:`convert` derive inverse rates and round once, with
a named mode. Nothing here reads the clock or the network.

>>> import datetime
>>> from crossborder.money import Money
>>> rates = FixedRates.from_mapping({"EUR/USD": "1.0850"})
>>> convert(Money.of("10.00", "USD"), "EUR", as_of=datetime.date(2026, 1, 5), rates=rates).converted
Money('9.22', 'EUR')
"""

from crossborder.fx._batch import convert_many, convert_parquet
from crossborder.fx._ecb import EcbRates, install_ecb_file
from crossborder.fx._live import ForexPythonRates
from crossborder.fx._rates import (
    Conversion,
    FixedRates,
    RatePolicy,
    RateProvider,
    RateQuote,
    convert,
    get_rate,
)

__all__ = [
    "Conversion",
    "EcbRates",
    "FixedRates",
    "ForexPythonRates",
    "RatePolicy",
    "RateProvider",
    "RateQuote",
    "convert",
    "convert_many",
    "convert_parquet",
    "get_rate",
    "install_ecb_file",
]
