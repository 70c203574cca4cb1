from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from crossborder.explain._model import Explanation
from crossborder.money._money import Money


def assert_sums_to(parts: Iterable[Money], total: Money) -> None:
    """Assert that ``parts`` are all in ``total``'s currency and add up to it exactly."""
    parts = list(parts)
    for part in parts:
        _check(isinstance(part, Money), f"part {part!r} is not Money")
        _check(part.currency == total.currency, f"part {part} is not in {total.currency}")
    got = sum(p.minor for p in parts)
    _check(got == total.minor, f"parts sum to {got} minor units, total is {total.minor}")


def assert_explained(result: Any, *, rule_ids: Sequence[str] = ()) -> Explanation:
    """Assert that ``result`` carries a complete explanation; return it.

    Every step has an action and an output, every rule version has a
    citation, the explanation survives a JSON round trip, and each of
    ``rule_ids`` was used.
    """
    explanation = (
        result if isinstance(result, Explanation) else getattr(result, "explanation", None)
    )
    _check(isinstance(explanation, Explanation), "result has no Explanation")
    assert isinstance(explanation, Explanation)  # for the type checker
    _check(bool(explanation.steps), "explanation has no steps")
    _check(bool(explanation.data_version), "explanation names no data version")
    for rule in explanation.rules_used:
        _check(bool(rule.citations), f"rule {rule.ref} has no citation")
    used = {r.rule_id for r in explanation.rules_used}
    missing = [r for r in rule_ids if r not in used]
    _check(not missing, f"rules not used in the explanation: {missing}")
    again = Explanation.model_validate_json(explanation.model_dump_json())
    _check(again == explanation, "explanation does not round-trip through JSON")
    return explanation


def _check(condition: bool, message: str) -> None:
    # not `assert`: these must hold under `python -O` too
    if not condition:
        raise AssertionError(message)
