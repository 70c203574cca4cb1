from __future__ import annotations

import datetime as _dt
import itertools
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from crossborder.explain._model import Citation, Status, Text

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(-[a-z0-9]+)?(\.[a-z0-9_]+)+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleVersion(_Strict):
    """One version of a rule: a value in force from ``valid_from`` up to ``valid_to``."""

    valid_from: _dt.date
    valid_to: _dt.date | None = None
    status: Status = "enacted"
    value: Any = None
    note: str | None = None
    citations: tuple[Citation, ...] = Field(min_length=1)

    @field_validator("citations")
    @classmethod
    def _retrieved(cls, citations: tuple[Citation, ...]) -> tuple[Citation, ...]:
        for c in citations:
            if c.retrieved is None:
                raise ValueError(f"citation {c.title!r} needs a 'retrieved' date")
            if not c.pinpoint:
                raise ValueError(f"citation {c.title!r} needs a 'pinpoint' (article, section)")
        return citations

    @model_validator(mode="after")
    def _consistent(self) -> RuleVersion:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is not after valid_from {self.valid_from}")
        if self.status in ("provisional", "expected") and not self.note:
            raise ValueError(f"a {self.status} version needs a 'note' saying why")
        if self.status == "repealed" and self.value is not None:
            raise ValueError("a repealed version carries no value")
        if self.status != "repealed" and self.value is None:
            raise ValueError("a version needs a 'value' (only a repealed version has none)")
        return self

    def covers(self, day: _dt.date) -> bool:
        """Whether ``day`` falls inside this version."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class Rule(_Strict):
    """A dated rule: a stable id and contiguous, non-overlapping versions."""

    id: RuleId
    title: Text
    unit: str | None = None
    description: str | None = None
    versions: tuple[RuleVersion, ...] = Field(min_length=1)

    @field_validator("versions")
    @classmethod
    def _contiguous(cls, versions: tuple[RuleVersion, ...]) -> tuple[RuleVersion, ...]:
        for before, after in itertools.pairwise(versions):
            if before.valid_to is None:
                raise ValueError(
                    f"version from {before.valid_from} is open-ended but another follows"
                )
            if before.valid_to < after.valid_from:
                raise ValueError(f"gap between {before.valid_to} and {after.valid_from}")
            if before.valid_to > after.valid_from:
                raise ValueError(
                    f"versions overlap: one runs to {before.valid_to}, "
                    f"the next starts {after.valid_from}"
                )
        return versions

    def version_at(self, day: _dt.date) -> RuleVersion | None:
        """The version whose range contains ``day``, or ``None``."""
        for version in self.versions:
            if version.covers(day):
                return version
        return None

    @property
    def covered(self) -> tuple[_dt.date, _dt.date | None]:
        """First day covered and the first day after the data (``None`` if open)."""
        return self.versions[0].valid_from, self.versions[-1].valid_to


class RuleFile(_Strict):
    """A TOML file of rules for one jurisdiction or topic."""

    kind: Literal["rules"]
    schema_: Literal[1] = Field(alias="schema")
    title: Text
    jurisdiction: Text
    review_by: _dt.date
    description: str | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        ids = [r.id for r in rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids defined twice: {', '.join(dupes)}")
        return rules
