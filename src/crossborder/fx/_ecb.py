"""ECB euro foreign exchange reference rates, offline.

The history from 1999-01-04 ships with the package (``fx/data``, with its
provenance in ``ecb.toml``). A newer file downloaded from the ECB
(``eurofxref-hist.zip`` or its CSV) can be installed with
``crossborder fx update FILE``; :meth:`EcbRates.default` then uses whichever
copy reaches the later date. Nothing here touches the network.
"""

from __future__ import annotations

import bisect
import csv
import datetime as _dt
import hashlib
import io
import os
import shutil
import threading
import tomllib
import zipfile
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from crossborder._checks import check_path
from crossborder.errors import InputError, RateUnavailableError

__all__ = ["EcbRates", "install_ecb_file", "user_data_dir"]

_LOCK = threading.Lock()
_LOADED: dict[tuple[str, float], _History] = {}


class _History:
    """The parsed file: sorted dates, and each currency's rates as text aligned to them."""

    __slots__ = ("columns", "dates", "decimals")

    def __init__(self, dates: list[_dt.date], columns: dict[str, list[str | None]]) -> None:
        self.dates = dates
        self.columns = columns
        self.decimals: dict[tuple[str, int], Decimal] = {}


def _read(data: bytes, origin: str) -> _History:
    """Parse the ECB CSV (plain or zipped): a ``Date`` column, then one column per currency."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if len(names) != 1:
                    raise InputError(f"{origin}: expected one CSV file in the archive, got {names}")
                data = archive.read(names[0])
        except zipfile.BadZipFile as exc:
            raise InputError(f"{origin}: not a readable zip archive ({exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{origin}: not UTF-8 text ({exc})") from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or rows[0][0].strip() != "Date":
        raise InputError(f"{origin}: not the ECB history (the first column must be 'Date')")
    codes = [h.strip().upper() for h in rows[0][1:] if h.strip()]
    bad = [c for c in codes if not (len(c) == 3 and c.isalpha())]
    if bad:
        raise InputError(f"{origin}: column names must be currency codes, got {bad}")
    body = sorted((r for r in rows[1:] if r and r[0].strip()), key=lambda r: r[0])
    dates: list[_dt.date] = []
    columns: dict[str, list[str | None]] = {code: [] for code in codes}
    for number, row in enumerate(body, 2):
        try:
            day = _dt.date.fromisoformat(row[0].strip())
        except ValueError:
            raise InputError(f"{origin}: row {number}: {row[0]!r} is not a date") from None
        if dates and day == dates[-1]:
            raise InputError(f"{origin}: {day} appears twice")
        dates.append(day)
        for code, value in zip(codes, row[1:], strict=False):
            text_value = value.strip()
            if text_value in ("", "N/A"):
                columns[code].append(None)
                continue
            try:
                rate = Decimal(text_value)
            except ArithmeticError:
                raise InputError(f"{origin}: {day} {code}: {text_value!r} is not a rate") from None
            if not rate.is_finite() or rate <= 0:
                raise InputError(f"{origin}: {day} {code}: a rate must be positive, got {rate}")
            columns[code].append(text_value)
        for code in codes[len(row) - 1 :]:
            columns[code].append(None)
    if not dates:
        raise InputError(f"{origin}: no rates in the file")
    return _History(dates, columns)


def _load(path: Path) -> _History:
    key = (str(path), path.stat().st_mtime)
    found = _LOADED.get(key)
    if found is None:
        with _LOCK:
            found = _LOADED.get(key)
            if found is None:
                found = _LOADED[key] = _read(path.read_bytes(), str(path))
    return found


def user_data_dir() -> Path:
    """Where ``crossborder fx update`` keeps files: ``$CROSSBORDER_HOME``, else the XDG data dir."""
    home = os.environ.get("CROSSBORDER_HOME")
    if home:
        return Path(home)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "crossborder"


def _packaged() -> Path:
    return Path(str(resources.files("crossborder") / "fx" / "data" / "eurofxref-hist.zip"))


def _installed() -> Path:
    return user_data_dir() / "ecb" / "eurofxref-hist.zip"


def provenance() -> dict[str, Any]:
    """The packaged file's provenance record (source, licence terms, dates, digest)."""
    text = (resources.files("crossborder") / "fx" / "data" / "ecb.toml").read_text("utf-8")
    return tomllib.loads(text)


class EcbRates:
    """The ECB's euro reference rates as a :class:`RateProvider` (fixings against EUR).

    The ECB publishes one rate per currency per TARGET business day, about
    16:00 CET, "for information purposes only". Inverse and cross rates
    are derived exactly by :func:`crossborder.fx.get_rate`.

    >>> ecb = EcbRates.packaged()
    >>> ecb.fixing("EUR", "USD", _dt.date(2024, 1, 5))
    Decimal('1.0921')
    >>> ecb.first_date, ecb.fixing("EUR", "USD", _dt.date(2024, 1, 6)) is None
    (datetime.date(1999, 1, 4), True)
    """

    def __init__(self, path: str | Path, *, name: str | None = None) -> None:
        self._path = check_path(path)
        if not self._path.is_file():
            raise InputError(f"no ECB rates file at {self._path}")
        self._history = _load(self._path)
        self._quotes: dict[tuple[object, ...], Any] = {}  # quotes kept by get_rate
        self._derived: dict[tuple[object, ...], Any] = {}  # and each day's derivation
        where = "packaged" if self._path == _packaged() else str(self._path)
        self._name = name or f"ECB euro reference rates ({where}, to {self.last_date})"

    @classmethod
    def packaged(cls) -> EcbRates:
        """The history shipped with the package."""
        return cls(_packaged())

    @classmethod
    def default(cls) -> EcbRates:
        """The installed update if it reaches further than the packaged file, else the latter."""
        packaged = cls.packaged()
        installed = _installed()
        if installed.is_file():
            update = cls(installed)
            if update.first_date <= packaged.first_date and update.last_date >= packaged.last_date:
                return update
        return packaged

    @property
    def name(self) -> str:
        return self._name

    @property
    def path(self) -> Path:
        """The file the rates were read from."""
        return self._path

    @property
    def first_date(self) -> _dt.date:
        return self._history.dates[0]

    @property
    def last_date(self) -> _dt.date:
        """The last day with a fixing in the file: later dates need an update."""
        return self._history.dates[-1]

    @property
    def currencies(self) -> tuple[str, ...]:
        """Every currency the file has a column for (some ended: BGN, HRK, RUB...)."""
        return tuple(sorted(self._history.columns))

    def last_fixing_date(self, currency: str) -> _dt.date | None:
        """The last day the ECB fixed ``currency`` in this file."""
        column = self._history.columns.get(currency, [])
        for i in range(len(column) - 1, -1, -1):
            if column[i] is not None:
                return self._history.dates[i]
        return None

    def fixing(self, base: str, quote: str, day: _dt.date) -> Decimal | None:
        """EUR/``quote`` fixed on ``day``; ``None`` for other pairs and days without a fixing."""
        if base != "EUR":
            return None
        history = self._history
        column = history.columns.get(quote)
        if column is None:
            return None
        i = bisect.bisect_left(history.dates, day)
        if i == len(history.dates) or history.dates[i] != day or column[i] is None:
            return None
        key = (quote, i)
        found = history.decimals.get(key)
        if found is None:
            found = history.decimals[key] = Decimal(column[i])  # type: ignore[arg-type]
        return found

    def column(self, currency: str) -> tuple[list[_dt.date], list[str | None]]:
        """All dates and ``currency``'s rates as text (``None`` where not fixed)."""
        if currency not in self._history.columns:
            raise RateUnavailableError(f"the ECB file has no {currency} rates", quote=currency)
        return self._history.dates, self._history.columns[currency]


def install_ecb_file(source: str | Path) -> EcbRates:
    """Check a downloaded ECB history file and install it where :meth:`EcbRates.default` looks.

    Returns the installed provider (its ``last_date`` says how far it reaches).
    """
    source = check_path(source, name="source")
    if not source.is_file():
        raise InputError(f"no file at {source}")
    data = source.read_bytes()
    history = _read(data, str(source))
    packaged = EcbRates.packaged()
    if "USD" not in history.columns:
        raise InputError(f"{source} does not look like the ECB history (no USD column)")
    if history.dates[-1] < packaged.last_date:
        raise InputError(
            f"{source} ends on {history.dates[-1]}, before the packaged data "
            f"({packaged.last_date}): it would not be used"
        )
    if history.dates[0] > packaged.first_date:
        raise InputError(
            f"{source} starts on {history.dates[0]}: install the full history "
            f"(eurofxref-hist, from {packaged.first_date}), not a recent extract"
        )
    target = _installed()
    target.parent.mkdir(parents=True, exist_ok=True)
    if data[:2] == b"PK":
        shutil.copyfile(source, target)
    else:  # keep one format: store a CSV zipped
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("eurofxref-hist.csv", data)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    record = {
        "source": f'"{source.name}"',
        "first_date": history.dates[0].isoformat(),
        "last_date": history.dates[-1].isoformat(),
        "sha256": f'"{digest}"',
    }
    text = "".join(f"{key} = {value}\n" for key, value in record.items())
    (target.parent / "eurofxref-hist.toml").write_text(text, encoding="utf-8")
    return EcbRates(target)
