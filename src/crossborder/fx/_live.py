"""An opt-in live rate source: forex-python, with a timeout, a cache and typed errors.

forex-python asks a public web service and has no timeout of its own; its
network failures surface as raw ``requests`` errors. :class:`ForexPythonRates`
runs each request in a worker thread bounded by ``timeout`` seconds, keeps
the answers (historical fixings do not change), and turns every failure into
:class:`~crossborder.errors.RateUnavailableError`. Nothing in the library
calls it unless you pass it as ``rates=``.
"""

from __future__ import annotations

import datetime as _dt
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from decimal import Decimal
from typing import Any

from crossborder.errors import InputError, RateUnavailableError

__all__ = ["ForexPythonRates"]


class ForexPythonRates:
    """Rates from forex-python (extra ``live``), as a :class:`RateProvider`.

    Args:
        timeout: seconds to wait for one answer before giving up.
        url: the service's base address (forex-python's own by default).
    """

    def __init__(self, *, timeout: float = 5.0, url: str | None = None) -> None:
        try:
            from forex_python.converter import CurrencyRates
        except ImportError as exc:
            raise InputError(
                "ForexPythonRates needs forex-python: pip install 'crossborder[live]'"
            ) from exc
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise InputError(f"timeout must be a positive number of seconds, got {timeout!r}")
        if url is not None and not (
            isinstance(url, str) and url.startswith(("http://", "https://"))
        ):
            raise InputError(f"url must be an http(s) address, got {url!r}")

        class _Client(CurrencyRates):  # type: ignore[misc]
            def _source_url(self) -> str:
                return url or str(super()._source_url())

            def _decode_rates(
                self, response: Any, use_decimal: bool = False, date_str: str | None = None
            ) -> Any:
                # the service answers a day without a fixing with the last one before it:
                # that is not a fixing of the day asked for (RatePolicy decides what to use)
                import simplejson

                decoded = simplejson.loads(response.text, use_decimal=True)
                if date_str not in (None, "latest") and decoded.get("date") != date_str:
                    return {}
                return decoded.get("rates", {})

        self._client = _Client(force_decimal=True)
        self._timeout = float(timeout)
        self._cache: dict[tuple[str, str, _dt.date], Decimal | None] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="forex-python")

    @property
    def name(self) -> str:
        return "forex-python (live)"

    def fixing(self, base: str, quote: str, day: _dt.date) -> Decimal | None:
        key = (base, quote, day)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        future = self._pool.submit(self._client.get_rate, base, quote, day)
        try:
            value: Any = future.result(timeout=self._timeout)
        except FutureTimeout:
            raise RateUnavailableError(
                f"forex-python gave no {base}/{quote} rate for {day} within {self._timeout:g} s",
                base=base,
                quote=quote,
                as_of=day,
            ) from None
        except Exception as exc:  # requests, simplejson and forex-python's own errors
            if type(exc).__name__ == "RatesNotAvailableError" and "not available" in str(exc):
                value = None  # the service answered: it has no such rate
            else:
                raise RateUnavailableError(
                    f"forex-python failed for {base}/{quote} on {day}: {type(exc).__name__}: {exc}",
                    base=base,
                    quote=quote,
                    as_of=day,
                ) from exc
        rate = _decimal(value, base, quote, day)
        with self._lock:
            self._cache[key] = rate
        return rate


def _decimal(value: Any, base: str, quote: str, day: _dt.date) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise RateUnavailableError(
        f"forex-python answered {value!r} for {base}/{quote} on {day}: not an exact rate",
        base=base,
        quote=quote,
        as_of=day,
    )
