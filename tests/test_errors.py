import crossborder.errors as errors
from crossborder.errors import (
    CrossborderError,
    CurrencyMismatchError,
    InputError,
    InvalidCodeError,
    NoApplicableRuleError,
    NotFoundError,
    RuleDataError,
)


def test_every_error_has_one_root():
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, CrossborderError), name
        assert name in errors.__doc__, f"{name} missing from the tree in the module docstring"


def test_builtin_bases():
    assert issubclass(InputError, ValueError)
    assert issubclass(CurrencyMismatchError, TypeError)
    assert issubclass(CurrencyMismatchError, ValueError)
    assert issubclass(NotFoundError, LookupError)
    assert issubclass(NoApplicableRuleError, LookupError)
    assert not issubclass(RuleDataError, ValueError)


def test_context_on_attributes():
    err = InvalidCodeError("unknown code 'UK'", code="UK", hint="use GB")
    assert err.code == "UK"
    assert err.hint == "use GB"
    assert str(err) == "unknown code 'UK' (use GB)"
    assert err.context == {"code": "UK", "hint": "use GB"}


def test_docs_show_the_same_tree():
    import pathlib

    doc = errors.__doc__
    tree = doc[doc.index("    CrossborderError") : doc.index("\n\nEach error carries")]
    tree = "\n".join(line[4:] for line in tree.splitlines())
    page = pathlib.Path(__file__).parents[1] / "docs" / "concepts" / "errors.md"
    assert tree in page.read_text()


def test_errors_pickle_for_process_pools():
    import pickle

    from crossborder.codes import country_code
    from crossborder.errors import InvalidCodeError

    try:
        country_code("UK")
    except InvalidCodeError as exc:
        error = exc
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is InvalidCodeError
    assert str(again) == str(error)
    assert again.code == "UK"
    assert again.hint == error.hint


def test_documented_attributes_always_exist():
    from crossborder.errors import RuleDataError, RuleNotFoundError

    assert RuleDataError("broken").field is None
    assert RuleNotFoundError("gone", rule_id="x").as_of is None
