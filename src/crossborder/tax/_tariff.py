from __future__ import annotations

import bisect
import csv
import datetime as _dt
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.codes._codes import country_code
from crossborder.errors import (
    CrossborderError,
    InputError,
    InvalidAmountError,
    InvalidCodeError,
    RuleDataError,
)
from crossborder.explain._model import RuleRef
from crossborder.money._currency import normalise_code
from crossborder.rules._book import RuleBook, resolve_book


class SpecificDuty(BaseModel):
    """An amount of duty per unit: ``2.50 EUR per kg``."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    per: str
    currency: str


class DutyRate(BaseModel):
    """The duty of one tariff line.

    Attributes:
        tariff: whose tariff (``EU``, ``GB``, ``US`` or a user table's name).
        line: the tariff line's digits (a prefix of the goods' HS code).
        description: the line's description.
        ad_valorem: fraction of the customs value (``0.12``).
        specific: an amount per unit, added to the ad valorem part.
        minimum: the duty is at least this per unit.
        maximum: the duty is at most this per unit.
        preferential: a preferential rate (the caller asserted the origin).
        rule: the rule version for packaged lines; ``None`` for user tables.
        source: where a user line came from.
    """

    model_config = ConfigDict(frozen=True)

    tariff: str
    line: str
    description: str = ""
    ad_valorem: Decimal = Decimal(0)
    specific: SpecificDuty | None = None
    minimum: SpecificDuty | None = None
    maximum: SpecificDuty | None = None
    preferential: bool = False
    rule: RuleRef | None = None
    source: str = "packaged"


class TariffMatch(BaseModel):
    """What a tariff knows about an HS code: one line, or every line beneath an incomplete code."""

    model_config = ConfigDict(frozen=True)

    hs_code: str
    lines: tuple[DutyRate, ...]
    exact: bool

    @property
    def estimate(self) -> bool:
        """True when the code is incomplete and the lines beneath it differ."""
        return not self.exact


@runtime_checkable
class TariffProvider(Protocol):
    """A source of duty rates by destination, HS code, origin and date."""

    def match(
        self, destination: str, hs_code: str, *, origin: str, as_of: _dt.date, preferential: bool
    ) -> TariffMatch | None:
        """The line for ``hs_code``, or every line beneath an incomplete code, or ``None``.

        The line is the longest tariff line that is a prefix of ``hs_code``.
        """
        ...


def _select(hs_code: str, lines: Mapping[str, DutyRate]) -> TariffMatch | None:
    for length in range(len(hs_code), 3, -1):
        line = lines.get(hs_code[:length])
        if line is not None:
            return TariffMatch(hs_code=hs_code, lines=(line,), exact=True)
    beneath = tuple(lines[k] for k in sorted(lines) if k.startswith(hs_code))
    if not beneath:
        return None
    same = len({(b.ad_valorem, b.specific, b.minimum, b.maximum) for b in beneath}) == 1
    return TariffMatch(hs_code=hs_code, lines=beneath, exact=same)


# Which packaged tariff applies at a destination: the EU's for member states.
_PACKAGED_TARIFFS = ("eu", "gb", "us")


class PackagedTariff:
    """The third-country (MFN) duty rates shipped as rule data: EU, GB and US.

    Preferential rates are not included: a caller asserting preferential
    origin gets the MFN rate and a warning, unless a user table layered on
    top supplies the preference.
    """

    def __init__(self, rules: RuleBook | None = None) -> None:
        self._book = resolve_book(rules)
        self._index: dict[str, list[str]] | None = None
        self._sets: dict[str, frozenset[str]] = {}
        self._duties: dict[tuple[str, str, _dt.date], DutyRate] = {}
        self._matches: dict[tuple[str, str, _dt.date], TariffMatch | None] = {}
        self._tariffs: dict[tuple[str, _dt.date], str | None] = {}
        self._lock = threading.Lock()

    def _lines(self, tariff: str) -> list[str]:
        """The tariff's line digits, sorted (so the lines beneath a code are one slice)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    index: dict[str, list[str]] = {t: [] for t in _PACKAGED_TARIFFS}
                    for rule in self._book:
                        head, _, rest = rule.id.partition(".tariff.")
                        if rest and head in index:
                            index[head].append(rest)
                    self._index = {t: sorted(lines) for t, lines in index.items()}
        return self._index.get(tariff, [])

    def tariff_for(self, destination: str, *, as_of: _dt.date) -> str | None:
        """Which packaged tariff applies at ``destination`` (``eu``, ``gb``, ``us``) or ``None``."""
        country = destination[:2]
        if country in ("GB", "US"):
            return country.lower()
        key = (country, as_of)
        if key not in self._tariffs:
            if len(self._tariffs) > 50_000:
                self._tariffs.clear()
            members = self._book.find("eu.member_states", as_of=as_of)
            self._tariffs[key] = "eu" if members is not None and country in members.value else None
        return self._tariffs[key]

    def match(
        self, destination: str, hs_code: str, *, origin: str, as_of: _dt.date, preferential: bool
    ) -> TariffMatch | None:
        tariff = self.tariff_for(destination, as_of=as_of)
        if tariff is None:
            return None
        key = (tariff, hs_code, as_of)
        if key in self._matches:
            return self._matches[key]
        if len(self._matches) > 50_000:
            self._matches.clear()
        found = self._matches[key] = self._match(tariff, hs_code, as_of)
        return found

    def _match(self, tariff: str, hs_code: str, as_of: _dt.date) -> TariffMatch | None:
        known = self._lines(tariff)
        candidates = {hs_code[:n] for n in range(4, len(hs_code) + 1)}  # lines above the code
        start = bisect.bisect_left(known, hs_code)
        end = bisect.bisect_left(known, hs_code + ":")  # ':' sorts after every digit
        lines: dict[str, DutyRate] = {}
        for digits in [d for d in candidates if d in self._set(tariff)] + known[start:end]:
            duty = self._duty(tariff, digits, as_of)
            if duty is not None:
                lines[digits] = duty
        return _select(hs_code, lines)

    def _set(self, tariff: str) -> frozenset[str]:
        found = self._sets.get(tariff)
        if found is None:
            found = self._sets[tariff] = frozenset(self._lines(tariff))
        return found

    def _duty(self, tariff: str, digits: str, as_of: _dt.date) -> DutyRate | None:
        applied = self._book.find(f"{tariff}.tariff.{digits}", as_of=as_of, allow_provisional=True)
        if applied is None:
            return None
        key = (tariff, digits, applied.version.valid_from)
        duty = self._duties.get(key)
        if duty is None:
            duty = self._duties[key] = _duty(
                tariff.upper(), digits, applied.value, applied.rule.title, applied.ref
            )
        return duty


def _specific(value: Mapping[str, Any] | None) -> SpecificDuty | None:
    if not value or "specific" not in value:
        return None
    return SpecificDuty(
        amount=Decimal(value["specific"]), per=str(value["per"]), currency=str(value["currency"])
    )


def _duty(
    tariff: str, line: str, value: Mapping[str, Any], title: str, ref: RuleRef | None, **extra: Any
) -> DutyRate:
    return DutyRate(
        tariff=tariff,
        line=line,
        description=str(value.get("description", title)),
        ad_valorem=Decimal(value.get("ad_valorem", 0)),
        specific=_specific(value),
        minimum=_specific(value.get("minimum")),
        maximum=_specific(value.get("maximum")),
        rule=ref,
        **extra,
    )


class TariffTable:
    """Your own duty rates, from records or a CSV file, to layer over the packaged tariff.

    Columns: ``destination`` (country, or ``EU``), ``hs_code`` (the line's
    digits, any length from 4), ``origin`` (a country, or ``*`` for any),
    ``ad_valorem`` (a fraction), optional ``specific``, ``per``,
    ``currency``, ``valid_from``, ``valid_to`` (ISO dates, ``valid_to``
    exclusive), ``preferential`` (``true`` for a rate that applies only
    when preferential origin is asserted), ``description``.

    >>> table = TariffTable.from_records(
    ...     [{"destination": "EU", "hs_code": "610910", "origin": "*", "ad_valorem": "0.05"}],
    ...     name="my rates")
    >>> day = _dt.date(2026, 1, 1)
    >>> m = table.match("DE", "6109100010", origin="CN", as_of=day, preferential=False)
    >>> m.lines[0].ad_valorem, m.lines[0].source
    (Decimal('0.05'), 'my rates')
    """

    def __init__(self, rows: Sequence[dict[str, Any]], *, name: str) -> None:
        self._rows = rows
        self.name = name

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, name: str = "user table"
    ) -> TariffTable:
        """From dicts with the columns above; every row is checked now, not at lookup."""
        if not isinstance(name, str) or not name.strip():
            raise RuleDataError(f"a tariff table needs a name, got {name!r}", path=str(name))
        if isinstance(records, str | bytes | Mapping) or not isinstance(records, Iterable):
            raise RuleDataError(
                f"{name}: records must be a list of rows (dicts), got {type(records).__name__}",
                path=name,
            )
        rows = []
        for n, record in enumerate(records, 1):
            if not isinstance(record, Mapping):
                raise RuleDataError(
                    f"{name}, row {n}: a row is a mapping of column to value, got "
                    f"{type(record).__name__} {record!r}",
                    path=name,
                    field=str(n),
                )
            rows.append(_row(dict(record), n, name))
        return cls(rows, name=name)

    @classmethod
    def from_csv(cls, path: str | Path, *, name: str | None = None) -> TariffTable:
        """From a CSV file (UTF-8, with or without a byte-order mark) with a header row."""
        if not isinstance(path, str | os.PathLike):
            raise RuleDataError(f"path must be a file path, got {type(path).__name__} {path!r}")
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                records = list(csv.DictReader(handle))
        except OSError as exc:
            raise RuleDataError(f"{path}: cannot read: {exc}", path=str(path)) from exc
        except UnicodeDecodeError as exc:
            raise RuleDataError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}): save it as UTF-8",
                path=str(path),
            ) from exc
        return cls.from_records(records, name=name or str(path))

    def match(
        self, destination: str, hs_code: str, *, origin: str, as_of: _dt.date, preferential: bool
    ) -> TariffMatch | None:
        as_of = check_date(as_of)
        members = RuleBook.packaged().find("eu.member_states", as_of=as_of)
        in_eu = members is not None and destination[:2] in members.value
        places = {destination, destination[:2]} | ({"EU"} if in_eu else set())
        best: dict[str, tuple[tuple[bool, bool, bool], DutyRate]] = {}
        for row in self._rows:
            if row["destination"] not in places or row["origin"] not in ("*", origin):
                continue
            if row["preferential"] and not preferential:
                continue
            if not (
                row["valid_from"] <= as_of and (row["valid_to"] is None or as_of < row["valid_to"])
            ):
                continue
            digits = row["hs_code"]
            if not (digits.startswith(hs_code) or hs_code.startswith(digits)):
                continue
            # a preference beats MFN, a row for this origin beats any origin, a row for the
            # country beats one for the EU; between equals, the later row wins
            rank = (row["preferential"], row["origin"] != "*", row["destination"] != "EU")
            if digits not in best or rank >= best[digits][0]:
                best[digits] = (rank, row["duty"])
        return _select(hs_code, {digits: duty for digits, (_, duty) in best.items()})


def _row(raw: dict[str, Any], n: int, name: str) -> dict[str, Any]:
    where = f"{name}, row {n}"
    try:
        destination = str(raw["destination"]).strip().upper()
        if destination != "EU":
            destination = country_code(destination)
        digits = str(raw["hs_code"]).replace(".", "").replace(" ", "")
        if not digits.isdigit() or not 4 <= len(digits) <= 10:
            raise InvalidCodeError(
                f"hs_code {raw['hs_code']!r} is not 4 to 10 digits", code=raw["hs_code"]
            )
        origin = str(raw.get("origin") or "*").strip().upper()
        if origin != "*":
            origin = country_code(origin)
        value: dict[str, Any] = {"ad_valorem": _decimal(raw.get("ad_valorem") or "0", "ad_valorem")}
        if raw.get("specific"):
            value.update(
                specific=_decimal(raw["specific"], "specific"),
                per=str(raw["per"]),
                currency=normalise_code(raw["currency"]),
            )
        valid_from = _date(raw.get("valid_from")) or _dt.date.min
        valid_to = _date(raw.get("valid_to"))
        preferential = str(raw.get("preferential") or "false").strip().lower() in (
            "true",
            "1",
            "yes",
        )
    except KeyError as exc:
        raise RuleDataError(f"{where}: missing column {exc}", path=name, field=str(n)) from exc
    except (CrossborderError, ValueError, TypeError) as exc:
        raise RuleDataError(f"{where}: {exc}", path=name, field=str(n)) from exc
    duty = _duty(
        name,
        digits,
        value,
        str(raw.get("description") or ""),
        None,
        source=name,
        preferential=preferential,
    )
    return {
        "destination": destination,
        "hs_code": digits,
        "origin": origin,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "preferential": preferential,
        "duty": duty,
    }


def _decimal(value: object, field: str) -> Decimal:
    if isinstance(value, float):
        raise InvalidAmountError(f"{field} must be a string or Decimal, not a float ({value!r})")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidAmountError(f"{field} {value!r} is not a number") from None
    if not result.is_finite() or result < 0:
        raise InvalidAmountError(f"{field} must be a non-negative number, got {value!r}")
    return result


def _date(value: object) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return check_date(value, name="valid_from/valid_to")
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"date {value!r} is not YYYY-MM-DD") from None


class LayeredTariff:
    """Several tariffs in order: the first that knows the code answers."""

    def __init__(self, *providers: TariffProvider) -> None:
        if not providers:
            raise InputError("LayeredTariff needs at least one provider")
        for provider in providers:
            if not callable(getattr(provider, "match", None)):
                raise InputError(
                    f"LayeredTariff takes tariff providers (with a match() method), got "
                    f"{type(provider).__name__} {provider!r}"
                )
        self._providers = providers

    def match(
        self, destination: str, hs_code: str, *, origin: str, as_of: _dt.date, preferential: bool
    ) -> TariffMatch | None:
        for provider in self._providers:
            found = provider.match(
                destination, hs_code, origin=origin, as_of=as_of, preferential=preferential
            )
            if found is not None:
                return found
        return None
