from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

_M = TypeVar("_M", bound=BaseModel)
Status = Literal["enacted", "provisional", "expected", "repealed"]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[^\s/]+\.[^\s/]+(/\S*)?$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Frozen):
    """A source for a fact: an official document and the place in it.

    Attributes:
        title: the document's title.
        url: an ``https://`` address of the document.
        pinpoint: the article, section or table within it.
        retrieved: the day the source was last read.
    """

    title: Text
    url: HttpsUrl
    pinpoint: str | None = None
    retrieved: _dt.date | None = None

    def to_text(self) -> str:
        """One line: title, pinpoint and address."""
        where = f", {self.pinpoint}" if self.pinpoint else ""
        return f"{self.title}{where} <{self.url}>"


class RuleRef(_Frozen):
    """The version of a rule that a step used.

    Attributes:
        rule_id: the rule's stable dotted id, e.g. ``eu.member_states``.
        valid_from: first day of the version (inclusive).
        valid_to: first day after the version (exclusive), ``None`` if open.
        status: ``enacted``, ``provisional``, ``expected`` or ``repealed``.
        citations: the sources of the version.
        source: ``packaged`` or the path of the overlay file it came from.
    """

    rule_id: str
    valid_from: _dt.date
    valid_to: _dt.date | None = None
    status: Status = "enacted"
    citations: tuple[Citation, ...] = ()
    source: str = "packaged"

    @property
    def ref(self) -> str:
        """``rule_id@valid_from``, the version's stable reference."""
        return f"{self.rule_id}@{self.valid_from.isoformat()}"


class Step(_Frozen):
    """One step of a calculation: what was done, from what, to what, under which rule."""

    action: Text
    inputs: dict[str, str] = Field(default_factory=dict)
    output: str
    rule: RuleRef | None = None


class Explanation(_Frozen):
    """The ordered steps behind an answer, and the data they were read from.

    Attributes:
        steps: what was done, in order.
        data_version: digest of the packaged data (``crossborder.DATA_VERSION``).
        overlays: user rule files that were layered over the packaged data.
    """

    steps: tuple[Step, ...]
    data_version: str
    overlays: tuple[str, ...] = ()

    @property
    def rules_used(self) -> tuple[RuleRef, ...]:
        """Each rule version used, once, in order of first use."""
        seen: dict[str, RuleRef] = {}
        for step in self.steps:
            if step.rule is not None:
                seen.setdefault(step.rule.ref, step.rule)
        return tuple(seen.values())

    def to_text(self) -> str:
        """Plain-text rendering, one numbered line per step."""
        lines: list[str] = []
        for n, step in enumerate(self.steps, 1):
            args = ", ".join(f"{k}={v}" for k, v in step.inputs.items())
            call = f"{step.action}({args})" if args else step.action
            lines.append(f"{n}. {call} -> {step.output}")
            if step.rule is not None:
                flag = "" if step.rule.status == "enacted" else f" [{step.rule.status}]"
                origin = "" if step.rule.source == "packaged" else f" (overlay {step.rule.source})"
                lines.append(f"   rule {step.rule.ref}{flag}{origin}")
                lines.extend(f"   source: {c.to_text()}" for c in step.rule.citations)
        lines.append(f"data version {self.data_version}")
        lines.extend(f"overlay {path}" for path in self.overlays)
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """Markdown rendering: a table of steps, then the sources."""
        out = ["| # | step | inputs | result | rule |", "|---|---|---|---|---|"]
        for n, step in enumerate(self.steps, 1):
            args = "<br>".join(f"{_md(k)} = {_md(v)}" for k, v in step.inputs.items())
            rule = f"`{step.rule.ref}`" if step.rule else ""
            if step.rule and step.rule.status != "enacted":
                rule += f" ({step.rule.status})"
            out.append(f"| {n} | {_md(step.action)} | {args} | {_md(step.output)} | {rule} |")
        sources = [
            f"- `{ref.ref}`: [{_md(c.title)}{', ' + _md(c.pinpoint) if c.pinpoint else ''}]"
            f"(<{c.url.replace('>', '%3E')}>)"
            for ref in self.rules_used
            for c in ref.citations
        ]
        if sources:
            out += ["", "Sources:", "", *sources]
        out += ["", f"Data version `{self.data_version}`."]
        out += [f"Overlay `{path}`." for path in self.overlays]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.to_text()


def _md(text: str) -> str:
    for char in "\\|[]()`*_":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def render(value: Any) -> str:
    """How a step input or output is written: exact, stable, human-readable."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int or kind.__name__ in ("Money", "Decimal"):
        return str(value)
    if isinstance(value, bool) or value is None:
        return str(value).lower() if isinstance(value, bool) else "none"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return "[" + ", ".join(render(v) for v in items) + "]"
    return str(value)


def construct(cls: type[_M], **values: Any) -> _M:
    """A frozen model from values the library built itself: no re-validation.

    Every field must be given (checked), so a field added later cannot be missed.
    """
    if values.keys() != cls.__pydantic_fields__.keys():
        missing = set(cls.__pydantic_fields__) ^ set(values)
        raise TypeError(f"{cls.__name__}: fields given do not match: {sorted(missing)}")
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


_new_object = object.__new__
_set = object.__setattr__


class Explainer:
    """Collects steps while a calculation runs, then freezes them into an Explanation."""

    __slots__ = ("_data_version", "_overlays", "_steps")

    def __init__(self, *, data_version: str, overlays: tuple[str, ...] = ()) -> None:
        self._steps: list[Step] = []
        self._data_version = data_version
        self._overlays = overlays

    @classmethod
    def packaged(cls) -> Explainer:
        """An explainer for a calculation on the packaged data only."""
        from crossborder.rules._book import packaged_data_version

        return cls(data_version=packaged_data_version())

    def step(self, action: str, *, output: Any, rule: RuleRef | None = None, **inputs: Any) -> None:
        """Record one step; inputs and output are rendered exactly with :func:`render`."""
        # built without re-validation: every field is a rendered str or a RuleRef
        for key, value in inputs.items():
            if value.__class__ is not str:
                inputs[key] = render(value)
        step = _new_object(Step)
        _set(
            step,
            "__dict__",
            {
                "action": action,
                "inputs": inputs,
                "output": output if output.__class__ is str else render(output),
                "rule": rule,
            },
        )
        _set(step, "__pydantic_fields_set__", {"action", "inputs", "output", "rule"})
        _set(step, "__pydantic_extra__", None)
        _set(step, "__pydantic_private__", None)
        self._steps.append(step)

    def done(self) -> Explanation:
        """The frozen explanation."""
        return construct(
            Explanation,
            steps=tuple(self._steps),
            data_version=self._data_version,
            overlays=self._overlays,
        )
