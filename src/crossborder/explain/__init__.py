"""Explanations: the steps, rule versions and sources behind every answer.

Every calculation result carries an :class:`Explanation`. A reviewer can
reproduce the number from it alone: each :class:`Step` names what was done,
its inputs and output, and the rule version used (``rule_id@valid_from``)
with its :class:`Citation`.

>>> from crossborder.explain import Explanation, Step
>>> e = Explanation(steps=(Step(action="add", inputs={"a": "1", "b": "2"}, output="3"),),
...                 data_version="sha256:0")
>>> print(e.to_text())
1. add(a=1, b=2) -> 3
data version sha256:0
>>> Explanation.model_validate_json(e.model_dump_json()) == e
True
"""

from crossborder.explain._model import Citation, Explanation, RuleRef, Step

__all__ = ["Citation", "Explanation", "RuleRef", "Step"]
