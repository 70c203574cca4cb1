from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from rich.console import Console
from rich.panel import Panel
from rich.table import Table


def run(console: Console) -> None:
    """The tour: each section uses packaged data only and explains what it shows."""
    import crossborder

    console.rule(f"crossborder {crossborder.__version__} - data {crossborder.DATA_VERSION}")
    _money(console)
    _codes(console)
    _rules(console)
    console.rule("done")


def _money(console: Console) -> None:
    from crossborder.money import Money, RoundingMode, allocate, get_currency, split

    console.print(Panel("Exact money: integer minor units, named rounding", title="1. money"))
    net = Money.of("19.99", "EUR")
    vat = net.multiply(Decimal("0.19"), rounding=RoundingMode.HALF_UP)
    table = Table("expression", "result")
    table.add_row('Money.of("19.99", "EUR")', repr(net))
    table.add_row("  .multiply(Decimal('0.19'), rounding=HALF_UP)", repr(vat))
    table.add_row("net + vat", repr(net + vat))
    table.add_row('split(Money.of("100.00", "EUR"), 3)', str(split(Money.of("100.00", "EUR"), 3)))
    parts = allocate(Money.of("10.00", "CHF"), [1, 1, 1], cash=True)
    table.add_row("allocate(CHF 10.00, [1, 1, 1], cash=True)", str(parts))
    table.add_row(
        'Money.of("10.03", "CHF").round_to_cash()', repr(Money.of("10.03", "CHF").round_to_cash())
    )
    for code in ("JPY", "KWD", "XCG"):
        cur = get_currency(code)
        table.add_row(f'get_currency("{code}")', f"{cur.name}, {cur.exponent} decimals")
    console.print(table)
    for bad in ("0.1 as float", "12.345 EUR"):
        try:
            if bad.startswith("0.1"):
                Money.of(0.1, "EUR")  # type: ignore[arg-type]
            else:
                Money.of("12.345", "EUR")
        except ValueError as exc:
            console.print(f"[yellow]{bad}[/] -> {type(exc).__name__}: {exc}")


def _codes(console: Console) -> None:
    from crossborder.codes import country_code, hs_code, subdivision_code

    console.print(Panel("Codes: normalised, validated, with hints", title="2. codes"))
    table = Table("input", "result")
    for func, raw in ((country_code, " de "), (subdivision_code, "es-cn"), (hs_code, "6109.10.00")):
        table.add_row(f"{func.__name__}({raw!r})", repr(func(raw)))
    for func, raw in ((country_code, "UK"), (country_code, "EL"), (country_code, "GER")):
        try:
            func(raw)
        except ValueError as exc:
            table.add_row(f"{func.__name__}({raw!r})", f"[yellow]{exc}[/]")
    console.print(table)


def _rules(console: Console) -> None:
    from crossborder.codes import currency_of, eu_status, in_eu, in_eu_vat_area

    console.print(Panel("Dated rules with citations, and explained answers", title="3. rules"))
    table = Table("question", "answer")
    day = _dt.date
    for label, answer in (
        ("in_eu('GB', 2020-01-31)", in_eu("GB", as_of=day(2020, 1, 31))),
        ("in_eu('GB', 2020-02-01)", in_eu("GB", as_of=day(2020, 2, 1))),
        ("in_eu_vat_area('GB', 2020-12-31)", in_eu_vat_area("GB", as_of=day(2020, 12, 31))),
        ("in_eu_vat_area('GB-NIR', 2026-11-25)", in_eu_vat_area("GB-NIR", as_of=day(2026, 11, 25))),
        ("currency_of('BG', 2025-12-31)", currency_of("BG", as_of=day(2025, 12, 31))),
        ("currency_of('BG', 2026-01-01)", currency_of("BG", as_of=day(2026, 1, 1))),
        ("currency_of('HR', 2023-01-01)", currency_of("HR", as_of=day(2023, 1, 1))),
    ):
        table.add_row(label, str(answer))
    console.print(table)
    status = eu_status("DE", postal_code="78266", allow_provisional=True, as_of=day(2026, 11, 25))
    console.print(
        "[bold]eu_status('DE', postal_code='78266', allow_provisional=True)[/]"
        " - Büsingen am Hochrhein (the postal-code table is provisional):"
    )
    console.print(status.explanation.to_text(), markup=False, highlight=False)
