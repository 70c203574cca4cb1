import datetime as dt
import textwrap

import pytest

from crossborder.errors import (
    InvalidDateError,
    NoApplicableRuleError,
    ProvisionalRuleError,
    RuleDataError,
    RuleNotFoundError,
)
from crossborder.rules import RuleBook, find_rule, get_rule

CITE = """
[[rules.versions.citations]]
title = "Example Act"
url = "https://example.org/act"
pinpoint = "Art. 1"
retrieved = 2026-11-25
"""


def rule_file(tmp_path, body, name="mine.toml"):
    path = tmp_path / name
    path.write_text(
        textwrap.dedent(
            """
            kind = "rules"
            schema = 1
            title = "Test rules"
            jurisdiction = "XX"
            review_by = 2027-01-01
            """
        )
        + textwrap.dedent(body)
    )
    return path


def rate_rule(*versions):
    out = '[[rules]]\nid = "xx.vat.standard"\ntitle = "Standard rate"\n'
    for frm, to, value, extra in versions:
        out += f"[[rules.versions]]\nvalid_from = {frm}\n"
        if to:
            out += f"valid_to = {to}\n"
        if value is not None:
            out += f"value = {value}\n"
        out += extra + CITE
    return out


@pytest.fixture
def book(tmp_path):
    path = rule_file(
        tmp_path,
        rate_rule(
            ("2019-01-01", "2020-07-01", "0.19", ""),
            ("2020-07-01", "2021-01-01", "0.16", ""),
            ("2021-01-01", "2027-01-01", "0.19", ""),
            ("2027-01-01", None, "0.21", 'status = "provisional"\nnote = "bill not yet passed"\n'),
        ),
    )
    return RuleBook.packaged().with_overlay(path)


def test_selection_by_date_both_sides_of_each_change(book):
    from decimal import Decimal

    get = lambda d: book.get("xx.vat.standard", as_of=d).value
    assert get(dt.date(2020, 6, 30)) == Decimal("0.19")
    assert get(dt.date(2020, 7, 1)) == Decimal("0.16")
    assert get(dt.date(2020, 12, 31)) == Decimal("0.16")
    assert get(dt.date(2021, 1, 1)) == Decimal("0.19")
    assert isinstance(get(dt.date(2021, 1, 1)), Decimal)


def test_reference_and_overlay_source(book, tmp_path):
    applied = book.get("xx.vat.standard", as_of=dt.date(2020, 8, 1))
    assert applied.ref.ref == "xx.vat.standard@2020-07-01"
    assert applied.ref.source == str(tmp_path / "mine.toml")
    assert applied.ref.citations[0].pinpoint == "Art. 1"
    assert book.overlays == (str(tmp_path / "mine.toml"),)


def test_outside_the_data_names_rule_date_and_coverage(book):
    with pytest.raises(NoApplicableRuleError) as info:
        book.get("xx.vat.standard", as_of=dt.date(2018, 12, 31))
    err = info.value
    assert err.rule_id == "xx.vat.standard"
    assert err.as_of == dt.date(2018, 12, 31)
    assert err.covered[0] == (dt.date(2019, 1, 1), dt.date(2020, 7, 1))
    assert "2019-01-01 onwards" in str(err)
    assert isinstance(err, LookupError)


def test_provisional_only_when_asked(book):
    with pytest.raises(ProvisionalRuleError, match="bill not yet passed"):
        book.get("xx.vat.standard", as_of=dt.date(2027, 1, 1))
    applied = book.get("xx.vat.standard", as_of=dt.date(2027, 1, 1), allow_provisional=True)
    assert applied.provisional
    assert applied.ref.status == "provisional"
    assert book.find("xx.vat.standard", as_of=dt.date(2027, 1, 1)) is None


def test_repeal_is_explicit(tmp_path):
    path = rule_file(
        tmp_path,
        rate_rule(
            ("2019-01-01", "2021-07-01", "22", ""),
            ("2021-07-01", None, None, 'status = "repealed"\n'),
        ),
    )
    book = RuleBook.packaged().with_overlay(path)
    assert book.get("xx.vat.standard", as_of=dt.date(2021, 6, 30)).value == 22
    with pytest.raises(NoApplicableRuleError, match="repealed with effect from 2021-07-01"):
        book.get("xx.vat.standard", as_of=dt.date(2021, 7, 1))


def test_overlay_replaces_a_packaged_rule(tmp_path):
    body = (
        """
    [[rules]]
    id = "eu.member_states"
    title = "Member states, as the user sees them"
    [[rules.versions]]
    valid_from = 2000-01-01
    value = ["DE"]
    """
        + CITE
    )
    book = RuleBook.packaged().with_overlay(rule_file(tmp_path, body))
    applied = book.get("eu.member_states", as_of=dt.date(2024, 1, 1))
    assert applied.value == ["DE"]
    assert applied.ref.source.endswith("mine.toml")
    assert RuleBook.packaged().get("eu.member_states", as_of=dt.date(2024, 1, 1)).value != ["DE"]


def test_overlay_folder(tmp_path):
    rule_file(tmp_path, rate_rule(("2019-01-01", None, "0.2", "")), name="a.toml")
    book = RuleBook.packaged().with_overlay(tmp_path)
    assert "xx.vat.standard" in book


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            rate_rule(("2019-01-01", "2020-01-01", "1", ""), ("2020-02-01", None, "2", "")),
            "versions",
        ),
        (
            rate_rule(("2019-01-01", "2020-06-01", "1", ""), ("2020-01-01", None, "2", "")),
            "versions",
        ),
        (rate_rule(("2019-01-01", None, "1", ""), ("2020-01-01", None, "2", "")), "versions"),
        (
            rate_rule(
                ("2019-01-01", "2018-01-01", "1", ""),
            ),
            "versions",
        ),
        (
            rate_rule(
                ("2019-01-01", None, "1", 'status = "provisional"\n'),
            ),
            "versions",
        ),
        (
            rate_rule(
                ("2019-01-01", None, None, ""),
            ),
            "versions",
        ),
        (rate_rule(("2019-01-01", None, "1", "")).replace("https://", "http://"), "url"),
        (
            rate_rule(("2019-01-01", None, "1", "")).replace("retrieved = 2026-11-25", ""),
            "citations",
        ),
        (rate_rule(("2019-01-01", None, "1", "")).replace("xx.vat.standard", "XX VAT"), "id"),
        (rate_rule(("2019-01-01", None, "1", "")).replace("Example Act", ""), "title"),
        (rate_rule(("2019-01-01", None, "1", "")) * 2, "rules"),
        ("garbage = [", "<file>"),
    ],
)
def test_broken_overlay_names_file_and_field(tmp_path, body, field):
    path = rule_file(tmp_path, body)
    with pytest.raises(RuleDataError) as info:
        RuleBook.packaged().with_overlay(path)
    assert str(path) in str(info.value)
    assert info.value.path == str(path)
    if field != "<file>":
        assert field in info.value.field


def test_missing_overlay_and_missing_rule(tmp_path):
    with pytest.raises(RuleDataError, match="no such overlay"):
        RuleBook.packaged().with_overlay(tmp_path / "nope.toml")
    with pytest.raises(RuleNotFoundError, match="did you mean"):
        get_rule("member_states", as_of=dt.date(2024, 1, 1))
    assert find_rule("no.such.rule", as_of=dt.date(2024, 1, 1)) is None


@pytest.mark.parametrize("bad", [None, "2024-01-01", dt.datetime(2024, 1, 1), 20240101])
def test_as_of_must_be_a_date(bad):
    with pytest.raises(InvalidDateError):
        get_rule("eu.member_states", as_of=bad)


def test_as_of_is_required():
    with pytest.raises(TypeError):
        get_rule("eu.member_states")  # type: ignore[call-arg]


def test_data_version_is_stable_and_recorded():
    import crossborder

    assert crossborder.DATA_VERSION == RuleBook.packaged().data_version
    assert crossborder.DATA_VERSION.startswith("sha256:")
    assert RuleBook.packaged() is RuleBook.packaged()


def test_packaged_book_loads_once_under_threads():
    from concurrent.futures import ThreadPoolExecutor

    RuleBook._packaged = None
    with ThreadPoolExecutor(8) as pool:
        books = list(pool.map(lambda _: RuleBook.packaged(), range(32)))
    assert all(b is books[0] for b in books)


def test_overlay_content_is_part_of_the_data_version(tmp_path):
    path = rule_file(tmp_path, rate_rule(("2019-01-01", None, "0.2", "")))
    first = RuleBook.packaged().with_overlay(path).data_version
    path.write_text(path.read_text().replace("0.2", "0.3"))
    second = RuleBook.packaged().with_overlay(path).data_version
    assert first != second
    assert first.startswith(RuleBook.packaged().data_version + "+overlay:")


def test_rules_argument_is_checked():
    from crossborder.errors import InputError

    with pytest.raises(InputError, match="RuleBook"):
        get_rule("eu.member_states", as_of=dt.date(2024, 1, 1), rules="x")
