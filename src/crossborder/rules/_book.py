from __future__ import annotations

import datetime as _dt
import hashlib
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from crossborder._checks import check_date
from crossborder.errors import (
    InputError,
    NoApplicableRuleError,
    ProvisionalRuleError,
    RuleDataError,
    RuleNotFoundError,
)
from crossborder.explain._model import RuleRef
from crossborder.rules._schema import Rule, RuleFile, RuleVersion

PACKAGED = "packaged"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A loaded rule file and where it came from (``packaged`` or an overlay path)."""

    name: str
    source: str
    data: RuleFile


@dataclass(frozen=True, slots=True)
class AppliedRule:
    """The version of a rule in force on a date, with its reference for explanations."""

    rule: Rule
    version: RuleVersion
    ref: RuleRef

    @property
    def value(self) -> Any:
        """The version's value, as read from the file (decimals are ``Decimal``)."""
        return self.version.value

    @property
    def provisional(self) -> bool:
        """Whether the version is not (yet) enacted law."""
        return self.version.status in ("provisional", "expected")

    def value_as(self, shape: Any) -> Any:
        """The value validated against ``shape`` (a type pydantic understands).

        An overlay can put anything in a value; this turns a wrong shape into
        a :class:`RuleDataError` naming the file, the rule version and the field.
        """
        from pydantic import ValidationError

        try:
            return _adapter(shape).validate_python(self.value)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            field = f"{self.ref.ref}.value" + (f".{where}" if where else "")
            raise RuleDataError(
                f"{self.ref.source}: rule {self.ref.ref}: value{'.' + where if where else ''}: "
                f"{err['msg']}",
                path=self.ref.source,
                field=field,
            ) from exc


_ADAPTERS: dict[Any, Any] = {}


def _adapter(shape: Any) -> Any:
    adapter = _ADAPTERS.get(shape)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[shape] = TypeAdapter(shape)
    return adapter


def read_toml(path: str, blob: bytes) -> dict[str, Any]:
    """Parse TOML with exact decimals, naming the file on failure."""
    try:
        return tomllib.loads(blob.decode("utf-8"), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleDataError(f"{path}: not valid TOML: {exc}", path=path, field=None) from exc


def parse_rule_file(path: str, blob: bytes) -> RuleFile:
    """Validate one rule file; a fault raises :class:`RuleDataError` naming file and field."""
    return validate_rule_file(path, read_toml(path, blob))


def validate_rule_file(path: str, raw: dict[str, Any]) -> RuleFile:
    """Validate a parsed rule file; a fault raises :class:`RuleDataError` naming the field."""
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RuleDataError(
            f"{path}: field {field or '<file>'}: {err['msg']}{more}", path=path, field=field
        ) from exc


def packaged_data_files() -> list[tuple[str, Traversable]]:
    """Every packaged data file, as (``domain/data/...`` name, resource), sorted by name."""
    root = resources.files("crossborder")
    found: list[tuple[str, Traversable]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}/{child.name}" if prefix else child.name
            if child.is_dir() and child.name != "__pycache__":
                walk(child, name)
            elif child.is_file() and child.name.endswith((".toml", ".json")) and "/data/" in name:
                found.append((name, child))

    walk(root, "")
    return sorted(found, key=lambda item: item[0])


def _digest(blobs: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, blob in blobs:
        digest.update(name.encode() + b"\0" + blob + b"\0")
    return "sha256:" + digest.hexdigest()[:16]


_version_lock = threading.Lock()
_version: list[str] = []


def packaged_data_version() -> str:
    """The digest of the packaged data files, without parsing them (cheap, computed once)."""
    if not _version:
        with _version_lock:
            if not _version:
                _version.append(_digest((n, r.read_bytes()) for n, r in packaged_data_files()))
    return _version[0]


class RuleBook:
    """Dated rules, read from the packaged files and any overlays the user adds.

    A book is immutable: :meth:`with_overlay` returns a new book in which each
    rule defined by an overlay file replaces the packaged rule of the same id
    (all its versions), and rules with new ids are added.

    >>> import datetime
    >>> book = RuleBook.packaged()
    >>> applied = book.get("eu.member_states", as_of=datetime.date(2019, 6, 1))
    >>> "GB" in applied.value, applied.ref.ref
    (True, 'eu.member_states@2013-07-01')
    """

    _packaged: RuleBook | None = None
    _lock = threading.Lock()

    def __init__(self, files: Sequence[SourceFile], *, data_version: str) -> None:
        self._files = tuple(files)
        self.data_version = data_version
        index: dict[str, tuple[Rule, str]] = {}
        for file in self._files:
            for rule in file.data.rules:
                if rule.id in index and file.source == index[rule.id][1] == PACKAGED:
                    raise RuleDataError(
                        f"rule {rule.id} is defined in two packaged files",
                        path=file.name,
                        field=rule.id,
                    )
                index[rule.id] = (rule, file.source)
        self._index = index
        self._applied: dict[tuple[str, _dt.date], AppliedRule] = {}
        self._derived: dict[str, Any] = {}

    @classmethod
    def packaged(cls) -> RuleBook:
        """The rules shipped with the package, loaded once on first use."""
        book = cls._packaged
        if book is None:
            with cls._lock:
                if cls._packaged is None:
                    cls._packaged = cls._load_packaged()
                book = cls._packaged
        return book

    @classmethod
    def _load_packaged(cls) -> RuleBook:
        files: list[SourceFile] = []
        blobs = [(name, resource.read_bytes()) for name, resource in packaged_data_files()]
        for name, blob in blobs:
            if name.endswith(".toml"):
                raw = read_toml(name, blob)  # parsed once, validated only if it holds rules
                if raw.get("kind") == "rules":
                    files.append(SourceFile(name, PACKAGED, validate_rule_file(name, raw)))
        return cls(files, data_version=_digest(blobs))

    def with_overlay(self, *paths: str | Path) -> RuleBook:
        """A new book with the rule files at ``paths`` (files or folders of ``*.toml``) on top."""
        files = list(self._files)
        digest = hashlib.sha256()
        for path in _expand(paths):
            blob = _read(path)
            digest.update(str(path).encode() + b"\0" + blob + b"\0")
            files.append(SourceFile(str(path), str(path), parse_rule_file(str(path), blob)))
        # the overlays' bytes are part of the version: same path, other content, other version
        return RuleBook(
            files, data_version=f"{self.data_version}+overlay:{digest.hexdigest()[:12]}"
        )

    def memo(self, key: str) -> dict[Any, Any]:
        """A bounded per-book cache for answers derived from its rules (cleared when full)."""
        cache: dict[Any, Any] = self.derived(f"memo:{key}", lambda _: {})
        if len(cache) > 20_000:
            cache.clear()
        return cache

    def derived(self, key: str, build: Callable[[RuleBook], Any]) -> Any:
        """An index a domain derives from this book, built once (e.g. a tariff's lines)."""
        found = self._derived.get(key)
        if found is None:
            with self._lock:
                found = self._derived.get(key)
                if found is None:
                    found = self._derived[key] = build(self)
        return found

    @property
    def files(self) -> tuple[SourceFile, ...]:
        """The files behind this book, packaged first, then overlays in order."""
        return self._files

    @property
    def overlays(self) -> tuple[str, ...]:
        """Paths of the overlay files in this book."""
        return tuple(f.source for f in self._files if f.source != PACKAGED)

    def __iter__(self) -> Iterator[Rule]:
        return (rule for rule, _ in self._index.values())

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._index

    def rule(self, rule_id: str, *, as_of: _dt.date | None = None) -> Rule:
        """The rule with this id, all versions; :class:`RuleNotFoundError` if there is none."""
        try:
            return self._index[rule_id][0]
        except (KeyError, TypeError):
            close = [r for r in self._index if isinstance(rule_id, str) and rule_id in r]
            hint = f"; did you mean {', '.join(sorted(close)[:3])}?" if close else ""
            raise RuleNotFoundError(
                f"no rule {rule_id!r} in the rule book{hint}", rule_id=rule_id, as_of=as_of
            ) from None

    def get(
        self,
        rule_id: str,
        *,
        as_of: _dt.date,
        allow_provisional: bool = False,
        include_repealed: bool = False,
    ) -> AppliedRule:
        """The version of ``rule_id`` in force on ``as_of``.

        Raises:
            RuleNotFoundError: no such rule.
            NoApplicableRuleError: the date is outside the data, or the rule was repealed.
            ProvisionalRuleError: the version is provisional and ``allow_provisional`` is off.

        With ``include_repealed=True`` a repeal is returned as a version (its
        ``value`` is ``None``), so a calculation can cite the repeal itself.
        """
        as_of = check_date(as_of)
        rule = self.rule(rule_id, as_of=as_of)
        source = self._index[rule_id][1]
        version = rule.version_at(as_of)
        if version is not None and version.status == "enacted":
            applied = self._applied.get((rule_id, version.valid_from))
            if applied is not None:  # the common case, answered from the cache
                return applied
        covered = tuple((v.valid_from, v.valid_to) for v in rule.versions)
        context = {"rule_id": rule_id, "as_of": as_of, "covered": covered}
        if version is None:
            first, end = rule.covered
            span = f"{first} to {end - _dt.timedelta(days=1)}" if end else f"{first} onwards"
            raise NoApplicableRuleError(
                f"rule {rule_id} has no version for {as_of}: the data covers {span}", **context
            )
        if version.status == "repealed" and not include_repealed:
            raise NoApplicableRuleError(
                f"rule {rule_id} was repealed with effect from {version.valid_from}", **context
            )
        if version.status in ("provisional", "expected") and not allow_provisional:
            raise ProvisionalRuleError(
                f"rule {rule_id} is {version.status} on {as_of} ({version.note}); "
                "pass allow_provisional=True to use it",
                **context,
            )
        key = (rule_id, version.valid_from)
        applied = self._applied.get(key)
        if applied is None:  # one AppliedRule per version, built once
            ref = RuleRef(
                rule_id=rule_id,
                valid_from=version.valid_from,
                valid_to=version.valid_to,
                status=version.status,
                citations=version.citations,
                source=source,
            )
            applied = self._applied[key] = AppliedRule(rule, version, ref)
        return applied

    def find(
        self, rule_id: str, *, as_of: _dt.date, allow_provisional: bool = False
    ) -> AppliedRule | None:
        """Like :meth:`get`, but ``None`` when the rule or a usable version is missing."""
        if not isinstance(rule_id, str) or rule_id not in self._index:
            return None
        try:
            return self.get(rule_id, as_of=as_of, allow_provisional=allow_provisional)
        except (RuleNotFoundError, NoApplicableRuleError):
            return None


def resolve_book(rules: object) -> RuleBook:
    """``rules`` if it is a RuleBook, the packaged book for ``None``, else an input error."""
    if rules is None:
        return RuleBook.packaged()
    if not isinstance(rules, RuleBook):
        raise InputError(
            f"rules must be a RuleBook (e.g. RuleBook.packaged().with_overlay(path)), "
            f"got {type(rules).__name__} {rules!r}",
            field="rules",
        )
    return rules


def _expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        if not isinstance(raw, str | Path) or not str(raw).strip():
            raise RuleDataError(
                f"an overlay must be a file or folder path, got {type(raw).__name__} {raw!r}",
                path=str(raw),
                field=None,
            )
        path = Path(raw)
        if path.is_dir():
            yield from sorted(path.glob("*.toml"))
        elif path.is_file():
            yield path
        else:
            raise RuleDataError(
                f"{path}: no such overlay file or folder", path=str(path), field=None
            )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RuleDataError(f"{path}: cannot read: {exc}", path=str(path), field=None) from exc
