import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from crossborder.explain import Citation, Explanation, RuleRef, Step
from crossborder.explain._model import Explainer, render

CITE = Citation(
    title="Council Directive 2006/112/EC",
    url="https://eur-lex.europa.eu/eli/dir/2006/112/oj",
    pinpoint="Art. 6",
    retrieved=dt.date(2026, 11, 25),
)
REF = RuleRef(rule_id="eu.vat_area.states", valid_from=dt.date(2021, 1, 1), citations=(CITE,))


def build():
    ex = Explainer(data_version="sha256:abc", overlays=("mine.toml",))
    ex.step("look up", country="DE", as_of=dt.date(2026, 1, 1), output=True, rule=REF)
    ex.step("multiply", net=Decimal("10.00"), rate=Decimal("0.19"), output=Decimal("1.9000"))
    return ex.done()


def test_steps_and_rules_used():
    e = build()
    assert [s.action for s in e.steps] == ["look up", "multiply"]
    assert e.steps[0].inputs == {"country": "DE", "as_of": "2026-01-01"}
    assert e.steps[0].output == "true"
    assert e.steps[1].output == "1.9000"
    assert e.rules_used == (REF,)
    assert REF.ref == "eu.vat_area.states@2021-01-01"


def test_text_and_markdown():
    text = build().to_text()
    assert "1. look up(country=DE, as_of=2026-01-01) -> true" in text
    assert "rule eu.vat_area.states@2021-01-01" in text
    assert "Art. 6 <https://eur-lex.europa.eu/eli/dir/2006/112/oj>" in text
    assert "overlay mine.toml" in text
    md = build().to_markdown()
    assert md.startswith("| # | step | inputs | result | rule |")
    assert "[Council Directive 2006/112/EC, Art. 6](<https://eur-lex" in md
    assert "as\\_of" in md  # markdown characters in keys and values are escaped


def test_json_round_trip_is_byte_stable():
    e = build()
    blob = e.model_dump_json()
    assert Explanation.model_validate_json(blob) == e
    assert build().model_dump_json() == blob


def test_provisional_and_overlay_flags_in_text():
    ref = RuleRef(
        rule_id="x.y", valid_from=dt.date(2020, 1, 1), status="provisional", source="a.toml"
    )
    e = Explanation(steps=(Step(action="a", output="b", rule=ref),), data_version="v")
    assert "[provisional] (overlay a.toml)" in e.to_text()


def test_render_is_exact_and_ordered():
    assert render({"b": Decimal("0.10"), "a": [1, None]}) == "{b: 0.10, a: [1, none]}"
    assert render({"x", "a"}) == "[a, x]"


def test_models_are_frozen_and_strict():
    with pytest.raises(ValidationError):
        Citation(title="t", url="http://insecure.example")
    with pytest.raises(ValidationError):
        Step(action="", output="x")
    with pytest.raises(ValidationError):
        Step(action="a", output="x", extra=1)
    e = build()
    with pytest.raises(ValidationError):
        e.steps = ()
