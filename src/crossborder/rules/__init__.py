"""Rules as dated data with citations.

Every rate, threshold and status the library uses is a rule in a packaged
TOML file: a stable dotted id and versions, each with ``valid_from``
(inclusive), ``valid_to`` (exclusive, optional), a ``status`` and at least one
citation. Lookups always take ``as_of``; nothing reads the clock.

>>> import datetime
>>> from crossborder.rules import get_rule
>>> get_rule("eu.euro_area", as_of=datetime.date(2026, 1, 1)).ref.ref
'eu.euro_area@2026-01-01'

Users layer their own files on top with :meth:`RuleBook.with_overlay` and
pass the book to calculations as ``rules=``.
"""

from __future__ import annotations

import datetime as _dt

from crossborder.rules._book import AppliedRule, RuleBook, SourceFile, resolve_book
from crossborder.rules._schema import Rule, RuleFile, RuleVersion

__all__ = [
    "AppliedRule",
    "Rule",
    "RuleBook",
    "RuleFile",
    "RuleVersion",
    "SourceFile",
    "find_rule",
    "get_rule",
]


def get_rule(
    rule_id: str,
    *,
    as_of: _dt.date,
    allow_provisional: bool = False,
    rules: RuleBook | None = None,
) -> AppliedRule:
    """The version of ``rule_id`` in force on ``as_of`` (packaged rules unless ``rules``)."""
    book = resolve_book(rules)
    return book.get(rule_id, as_of=as_of, allow_provisional=allow_provisional)


def find_rule(
    rule_id: str,
    *,
    as_of: _dt.date,
    allow_provisional: bool = False,
    rules: RuleBook | None = None,
) -> AppliedRule | None:
    """Like :func:`get_rule`, but ``None`` when nothing applies."""
    book = resolve_book(rules)
    return book.find(rule_id, as_of=as_of, allow_provisional=allow_provisional)
