from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

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
    _tax(console)
    _batch(console)
    _fx(console)
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


def _tax(console: Console) -> None:
    import json
    from importlib import resources

    from crossborder.cli._tax import quote_table
    from crossborder.fx import FixedRates
    from crossborder.money import Money
    from crossborder.tax import Shipment, landed_cost, price_breakdown, vat_rate

    console.print(Panel("VAT/GST with history, and landed cost at checkout", title="4. tax"))
    day = _dt.date
    table = Table("place", "date", "category", "rate", "rule version")
    for place, when, category in (
        ("DE", day(2020, 6, 30), "standard"),
        ("DE", day(2020, 7, 1), "standard"),
        ("IE", day(2020, 9, 1), "standard"),
        ("FI", day(2024, 9, 1), "standard"),
        ("FR", day(2026, 1, 1), "books"),
        ("CA-QC", day(2026, 1, 1), "standard"),
        ("US-CA", day(2026, 1, 1), "standard"),
        ("JP", day(2019, 9, 30), "standard"),
        ("JP", day(2019, 10, 1), "standard"),
    ):
        try:
            rate = vat_rate(place, as_of=when, category=category)
        except Exception as exc:  # a category a country's data does not map
            table.add_row(place, str(when), category, f"[yellow]{exc}[/]", "")
            continue
        refs = ", ".join(c.rule.ref for c in rate.components)
        table.add_row(place, str(when), category, f"{(rate.rate * 100).normalize():f} %", refs)
    console.print(table)
    b = price_breakdown(Money.of("119.00", "EUR"), place="DE", as_of=day(2026, 11, 25))
    console.print(f"price_breakdown(EUR 119.00 incl. VAT, DE): net {b.net}, VAT {b.tax}")
    samples = resources.files("crossborder") / "samples"
    raw = json.loads((samples / "order.json").read_text(encoding="utf-8"))
    rates_path = samples / "rates.json"
    rates = FixedRates.from_mapping(
        json.loads(rates_path.read_text(encoding="utf-8"))["rates"],
        name="sample rates (not market data)",
    )
    summary = Table(
        "destination", "date", "regime", "duty", "tax", "at checkout", "at delivery", "complete"
    )
    quotes = []
    for dest, when in (
        ("DE", day(2026, 6, 30)),
        ("DE", day(2026, 7, 1)),
        ("GB", day(2026, 11, 25)),
        ("AU", day(2026, 11, 25)),
        ("JP", day(2026, 11, 25)),
        ("US-CA", day(2025, 5, 1)),
        ("US-CA", day(2025, 5, 2)),
    ):
        shipment = Shipment.model_validate({**raw, "destination": dest})
        result = landed_cost(shipment, as_of=when, rates=rates)
        quotes.append(result)
        summary.add_row(
            dest,
            str(when),
            result.regime,
            str(result.duty_total),
            str(result.tax_total),
            str(result.due_at_checkout),
            str(result.due_at_delivery),
            "yes" if result.complete else "no",
        )
    console.print(
        "[bold]A 3-line order from China, sold on a marketplace, quoted for several "
        "destinations (samples/order.json):[/]"
    )
    console.print(summary)
    console.print(quote_table(quotes[1]))
    for warning in quotes[1].warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(quotes[1].explanation.to_text(), markup=False, highlight=False)


def _batch(console: Console) -> None:
    import json
    import time
    from importlib import resources

    from crossborder.fx import FixedRates
    from crossborder.money import Money
    from crossborder.tax import landed_cost

    console.print(Panel("Many orders at once: the same figures, as tables", title="5. batch"))
    try:
        from crossborder.tax import landed_cost_batch

        landed_cost_batch([], as_of=_dt.date(2026, 11, 25))
    except Exception as exc:  # the batch extra is not installed
        console.print(f"[yellow]{exc}[/]")
        return
    samples = resources.files("crossborder") / "samples"
    raw = json.loads((samples / "order.json").read_text(encoding="utf-8"))
    rates = FixedRates.from_mapping(
        json.loads((samples / "rates.json").read_text(encoding="utf-8"))["rates"],
        name="sample rates (not market data)",
    )
    places = ("DE", "FR", "IT", "ES", "NL", "GB", "NO", "US-CA", "US-NY", "US-TX")
    codes = ("61091000", "85171300", "95044000")  # lines in all three packaged tariffs
    orders = []
    for n in range(5000):  # the sample order, by courier, to ten places, at 5,000 prices
        lines = [
            line | {"hs_code": codes[i], "unit_price": {"amount": _price(n, i), "currency": "USD"}}
            for i, line in enumerate(raw["lines"])
        ]
        place = places[n % len(places)]
        orders.append(raw | {"lines": lines, "destination": place, "mode": "courier"})
    day = _dt.date(2026, 11, 25)
    batch = landed_cost_batch(orders, as_of=day, rates=rates)  # loads the data it needs
    start = time.perf_counter()
    batch = landed_cost_batch(orders, as_of=day, rates=rates)
    seconds = time.perf_counter() - start
    table = Table("regime", "orders", "duty", "tax")
    rows: dict[tuple[str, str], list[int]] = {}
    for row in batch.orders.to_pylist():
        sums = rows.setdefault((row["regime"], row["currency"]), [0, 0, 0])
        sums[0] += 1
        sums[1] += row["duty_total"]
        sums[2] += row["tax_total"]
    for (regime, cur), (count, duty, tax) in sorted(rows.items()):
        table.add_row(
            regime, str(count), str(Money.from_minor(duty, cur)), str(Money.from_minor(tax, cur))
        )
    console.print(table)
    console.print(
        f"{len(orders):,} orders given as JSON-like dicts (validated), {batch.lines.num_rows:,} "
        f"lines: {seconds * 1000:.0f} ms warm ({len(orders) / seconds:,.0f} orders/s). "
        f"{batch.one_by_one} orders were quoted one by one (the EU flat duty; no Norwegian "
        "tariff data), the rest on integer columns."
    )
    one = landed_cost(orders[3], as_of=day, rates=rates)
    same = batch.orders.slice(3, 1).to_pylist()[0]["tax_total"] == one.tax_total.minor
    console.print(
        f"order 4 ({one.destination}) quoted alone: tax {one.tax_total}, same as in "
        f"the batch: {'yes' if same else 'NO'}"
    )


def _price(n: int, i: int) -> str:
    """A price for line ``i`` of order ``n``: USD 7.00 to 406.99, different in every order."""
    return f"{7 + (n * 37 + i * 11) % 400}.{n % 100:02d}"


def _fx(console: Console) -> None:
    import time

    from crossborder.errors import RateUnavailableError
    from crossborder.fx import EcbRates, RatePolicy, convert, get_rate
    from crossborder.money import Money

    console.print(Panel("Exchange rates: the ECB history offline, exact", title="6. fx"))
    ecb = EcbRates.default()
    console.print(f"{ecb.name}: {len(ecb.currencies)} currencies from {ecb.first_date}")
    day = _dt.date
    later = RatePolicy.last_fixing(max_age_days=5)
    table = Table("pair", "asked for", "fixing date", "rate", "how")
    for base, quote, when, policy in (
        ("USD", "EUR", day(2024, 1, 5), None),
        ("USD", "JPY", day(2024, 1, 5), None),
        ("GBP", "USD", day(2024, 12, 25), later),
        ("CHF", "SEK", day(2008, 10, 10), None),
    ):
        q = get_rate(base, quote, as_of=when, provider=ecb, policy=policy)
        how = f"{q.derivation}: {'; '.join(q.legs)}"
        table.add_row(f"{base}/{quote}", str(when), str(q.fixing_date), f"{q.rate:.10}", how)
    console.print(table)
    for base, when in (("BGN", day(2026, 1, 2)), ("RUB", day(2023, 1, 5))):
        try:
            get_rate(base, "EUR", as_of=when, provider=ecb)
        except RateUnavailableError as exc:
            console.print(f"[yellow]{base} on {when}:[/] {exc}")
    _fx_dates(console, ecb)
    c = convert(Money.of("100.00", "USD"), "JPY", as_of=day(2024, 1, 6), rates=ecb, policy=later)
    console.print(f"convert(USD 100.00 to JPY, Saturday 2024-01-06): {c.converted}")
    console.print(c.explanation.to_text(), markup=False, highlight=False)
    try:
        import numpy as np
        import pyarrow as pa

        from crossborder.fx import convert_many
    except ImportError:  # the batch extra is not installed
        return
    rng = np.random.default_rng(7)
    n = 200_000
    live = [c for c in ecb.currencies if ecb.last_fixing_date(c) == ecb.last_date]
    rows = pa.table(
        {
            "amount": rng.integers(1, 10**7, n),
            "currency": pa.array(rng.choice(live, n)),
            "date": pa.array(
                (np.datetime64("2025-01-01") + rng.integers(0, 365, n)).astype("datetime64[D]")
            ),
        }
    )
    convert_many(rows.slice(0, 100), "EUR", rates=ecb, policy=later)
    start = time.perf_counter()
    out = convert_many(rows, "EUR", rates=ecb, policy=later)
    seconds = time.perf_counter() - start
    total = Money.from_minor(int(pa.compute.sum(out.column("converted")).as_py()), "EUR")
    pairs = len(out.column("rate").combine_chunks().dictionary)
    console.print(
        f"convert_many: {n:,} payouts in {len(live)} currencies across 2025 to EUR in "
        f"{seconds * 1000:.0f} ms, {pairs:,} currency-days each rated once; exact total {total}"
    )


def _fx_dates(console: Console, ecb: Any) -> None:
    from importlib import resources

    from crossborder.fx import exposure, forward_rate, positions_from_csv, spot_date, value_date

    day = _dt.date
    table = Table("pair", "traded", "tenor", "value date", "why")
    for pair, trade, tenor, why in (
        ("EURUSD", day(2026, 11, 25), "SPOT", "Thanksgiving on T+1 counts for EUR: Friday"),
        ("USDMXN", day(2026, 11, 25), "SPOT", "MXN counts the US holiday: Monday"),
        ("USDCAD", day(2026, 3, 3), "SPOT", "T+1"),
        ("EURUSD", day(2026, 4, 28), "1M", "end of month to end of month"),
    ):
        found = value_date(pair, trade, tenor) if tenor != "SPOT" else spot_date(pair, trade)
        table.add_row(pair, str(trade), tenor, str(found.value_date), why)
    console.print(table)
    q = forward_rate(
        "EURUSD",
        "1.0850",
        base_rate="0.0200",
        quote_rate="0.0450",
        start=day(2026, 1, 5),
        end=day(2026, 4, 7),
    )
    console.print(
        f"EUR/USD 3M forward at spot 1.0850, EUR 2.00 %, USD 4.50 % (ACT/360 both): "
        f"{q.forward:.6f} ({q.points:.2f} points)"
    )
    sample = resources.files("crossborder") / "samples" / "positions.csv"
    book = positions_from_csv(str(sample))
    report = exposure(book, functional="EUR", as_of=day(2024, 1, 5), rates=ecb)
    summary = Table("currency", "bucket", "net", "in EUR")
    for cell in report.cells:
        summary.add_row(cell.currency, cell.bucket, str(cell.net), str(cell.net_functional))
    console.print("[bold]FX exposure of samples/positions.csv (functional EUR, 2024-01-05):[/]")
    console.print(summary)
    _hedging(console, book, ecb)
    _revaluation(console)


def _hedging(console: Console, book: Any, ecb: Any) -> None:
    import json
    from importlib import resources

    from crossborder.fx import HedgePolicy, Market, hedge_plan, historical_var, stress
    from crossborder.money import Money

    samples = resources.files("crossborder") / "samples"
    data = json.loads((samples / "market.json").read_text(encoding="utf-8"))
    plan = hedge_plan(
        book,
        HedgePolicy.from_toml(str(samples / "hedge_policy.toml")),
        functional="EUR",
        market=Market(spot=data["spot"], rates=data["rates"]),
        as_of=_dt.date(2024, 1, 5),
    )
    table = Table("currency", "buy (+) / sell (-)", "value date", "forward")
    for t in plan.trades:
        table.add_row(t.currency, str(t.amount), str(t.value_date), f"{t.forward_rate:.6f}")
    console.print("[bold]Hedge plan (samples/hedge_policy.toml: 80/50/20% at 6/12/18 months):[/]")
    console.print(table)
    held = {"USD": Money.of("1000000", "EUR"), "GBP": Money.of("500000", "EUR")}
    risk = historical_var(held, rates=ecb, as_of=_dt.date(2024, 1, 5), days=500)
    shock = stress(held, {"*": "-0.10"})["total"]
    console.print(
        f"EUR 1m in USD and 0.5m in GBP, 1-day 99% historical VaR over 500 ECB days: "
        f"{risk.var} (expected shortfall {risk.expected_shortfall}); both 10% weaker: {shock}"
    )


def _revaluation(console: Console) -> None:
    from crossborder.fx import FixedRates, MonetaryItem, revalue, settle
    from crossborder.money import Money

    sale = MonetaryItem(
        ref="INV-1",
        side="asset",
        amount=Money.of("10000", "USD"),
        carrying=Money.of("9090.91", "EUR"),
        account="1200 receivables",
    )
    closing = revalue(
        [sale],
        functional="EUR",
        as_of=_dt.date(2025, 12, 31),
        rates=FixedRates.from_mapping({"EUR/USD": "1.05"}),
    )
    carried = sale.model_copy(update={"carrying": closing.items[0].revalued})
    paid = settle(
        carried,
        settled=Money.of("10000", "USD"),
        on=_dt.date(2026, 1, 15),
        rates=FixedRates.from_mapping({"EUR/USD": "1.08"}),
        cash_account="1020 USD bank",
    )
    journal = Table("step", "account", "debit", "credit")
    for step, lines in (("31 Dec revaluation", closing.lines), ("15 Jan settlement", paid.lines)):
        for line in lines:
            amount = f"{line.amount}" + (f" ({line.foreign})" if line.foreign else "")
            debit, credit = (amount, "") if line.side == "debit" else ("", amount)
            journal.add_row(step, line.account, debit, credit)
    console.print(
        "[bold]IAS 21: a USD 10,000 receivable booked at 1.10, revalued at 1.05, paid at "
        f"1.08:[/] unrealised {closing.net_gain}, realised {paid.realised}"
    )
    console.print(journal)
