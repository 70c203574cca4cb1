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
from crossborder.fx._dates import (
    DAY_COUNTS,
    TENORS,
    ValueDate,
    is_business_day,
    money_market_basis,
    spot_date,
    value_date,
    year_fraction,
)
from crossborder.fx._ecb import EcbRates, install_ecb_file
from crossborder.fx._exposure import (
    BUCKETS,
    ExposureCell,
    ExposureReport,
    Hedge,
    Position,
    exposure,
    positions_from_csv,
)
from crossborder.fx._forwards import ForwardQuote, ForwardValue, forward_rate, forward_value
from crossborder.fx._hedging import (
    HedgeLayer,
    HedgePlan,
    HedgePolicy,
    HedgeTrade,
    Market,
    OffsetResult,
    RegressionResult,
    dollar_offset,
    hedge_plan,
    regression_test,
)
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
from crossborder.fx._revaluation import (
    JournalLine,
    MonetaryItem,
    Revaluation,
    Settlement,
    revalue,
    settle,
)
from crossborder.fx._risk import RiskResult, historical_var, parametric_var, stress

__all__ = [
    "BUCKETS",
    "DAY_COUNTS",
    "TENORS",
    "Conversion",
    "EcbRates",
    "ExposureCell",
    "ExposureReport",
    "FixedRates",
    "ForwardQuote",
    "ForwardValue",
    "Hedge",
    "HedgeLayer",
    "HedgePlan",
    "HedgePolicy",
    "HedgeTrade",
    "JournalLine",
    "Market",
    "MonetaryItem",
    "OffsetResult",
    "Position",
    "ForexPythonRates",
    "RatePolicy",
    "RateProvider",
    "RateQuote",
    "RegressionResult",
    "Revaluation",
    "RiskResult",
    "Settlement",
    "ValueDate",
    "convert",
    "convert_many",
    "convert_parquet",
    "dollar_offset",
    "exposure",
    "forward_rate",
    "forward_value",
    "get_rate",
    "hedge_plan",
    "historical_var",
    "install_ecb_file",
    "is_business_day",
    "money_market_basis",
    "parametric_var",
    "positions_from_csv",
    "regression_test",
    "revalue",
    "settle",
    "spot_date",
    "stress",
    "value_date",
    "year_fraction",
]
