from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from crossborder.cli._common import console, parse_date, read_json, writable

app = typer.Typer(
    help="Exchange rates: ECB history offline, exact conversion.", no_args_is_help=True
)

LastOption = Annotated[
    int,
    typer.Option(
        "--last",
        help="On a day without a fixing, use the last one up to this many days before (0: exact).",
    ),
]
RatesOption = Annotated[
    Path | None,
    typer.Option("--rates", help="Your own rates, JSON {pair: rate}, instead of the ECB's."),
]


def _provider(rates_file: Path | None) -> Any:
    from crossborder.cli._tax import load_rates
    from crossborder.fx import EcbRates

    return load_rates([], rates_file) if rates_file is not None else EcbRates.default()


def _rounding(name: str) -> Any:
    from crossborder.money import RoundingMode

    try:
        return RoundingMode(name.lower())
    except ValueError:
        names = ", ".join(m.value for m in RoundingMode)
        raise typer.BadParameter(f"--rounding is one of {names}; got {name!r}") from None


def _policy(last: int) -> Any:
    from crossborder.fx import RatePolicy

    return RatePolicy(last)


@app.command()
def rate(
    base: Annotated[str, typer.Argument(help="Currency converted from, e.g. USD.")],
    quote: Annotated[str, typer.Argument(help="Currency converted to, e.g. EUR.")],
    date: Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD (required).")],
    last: LastOption = 0,
    rates_file: RatesOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The exchange rate on a day: exact, with the fixings it comes from."""
    from crossborder.fx import get_rate

    q = get_rate(
        base, quote, as_of=parse_date(date), provider=_provider(rates_file), policy=_policy(last)
    )
    if as_json:
        typer.echo(q.model_dump_json(indent=2))
        return
    table = Table(title=f"{q.base}/{q.quote} for {q.as_of}")
    for column in ("rate", "fixing date", "derivation", "fixings", "source"):
        table.add_column(column)
    table.add_row(str(q.rate), str(q.fixing_date), q.derivation, "; ".join(q.legs), q.source)
    console().print(table)


@app.command()
def convert(
    amount: Annotated[str, typer.Argument(help="The amount, e.g. 100 or 19.99.")],
    base: Annotated[str, typer.Argument(help="Its currency.")],
    to: Annotated[str, typer.Argument(help="The currency to convert into.")],
    date: Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD (required).")],
    last: LastOption = 0,
    rounding: Annotated[str, typer.Option(help="Rounding mode: half_up, half_even...")] = "half_up",
    rates_file: RatesOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Convert an amount on a day, rounded once, with the explanation."""
    from crossborder.fx import convert as convert_money
    from crossborder.money import Money

    result = convert_money(
        Money.of(amount, base),
        to,
        as_of=parse_date(date),
        rates=_provider(rates_file),
        policy=_policy(last),
        rounding=_rounding(rounding),
    )
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    out = console()
    out.print(f"{result.original} = [bold]{result.converted}[/]")
    out.print(result.explanation.to_text(), markup=False, highlight=False)


@app.command("convert-file")
def convert_file(
    source: Annotated[Path, typer.Argument(help="A Parquet file: amount, currency, date columns.")],
    to: Annotated[str, typer.Option("--to", help="The currency to convert into.")],
    out: Annotated[Path, typer.Option("--out", help="The Parquet file to write.")],
    date: Annotated[
        str | None, typer.Option("--date", help="One day for every row (else the date column).")
    ] = None,
    last: LastOption = 0,
    amount: Annotated[str, typer.Option(help="Column of integer minor units.")] = "amount",
    currency: Annotated[str, typer.Option(help="Column of currency codes.")] = "currency",
    date_column: Annotated[str, typer.Option("--date-column", help="Column of dates.")] = "date",
    rounding: Annotated[str, typer.Option(help="Rounding mode: half_up, half_even...")] = "half_up",
    rates_file: RatesOption = None,
) -> None:
    """Convert a Parquet file of amounts, batch by batch, with a progress bar."""
    from rich.progress import Progress

    from crossborder.fx import convert_parquet

    writable(out, suffixes=(".parquet",))

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("converting", total=None)
        rows = convert_parquet(
            source,
            out,
            to,
            rates=_provider(rates_file),
            as_of=parse_date(date) if date else None,
            policy=_policy(last),
            rounding=_rounding(rounding),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            amount=amount,
            currency=currency,
            date=date_column,
        )
    console().print(f"{rows:,} rows converted to {to.upper()}: {out}")


@app.command()
def update(
    file: Annotated[Path, typer.Argument(help="eurofxref-hist.zip (or .csv) from the ECB site.")],
) -> None:
    """Install a newer ECB history file that you downloaded (no network is used)."""
    from crossborder.fx import install_ecb_file

    ecb = install_ecb_file(file)
    console().print(
        f"installed {ecb.path}: {len(ecb.currencies)} currencies, "
        f"{ecb.first_date} to {ecb.last_date}"
    )


@app.command()
def sources(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Where the rates come from: the ECB file in use, its dates and each currency's last fixing."""
    from crossborder.fx import EcbRates
    from crossborder.fx._ecb import provenance

    ecb = EcbRates.default()
    record = provenance()
    last = {code: ecb.last_fixing_date(code) for code in ecb.currencies}
    if as_json:
        payload = {
            "file": str(ecb.path),
            "first_date": ecb.first_date.isoformat(),
            "last_date": ecb.last_date.isoformat(),
            "currencies": {c: d.isoformat() if d else None for c, d in last.items()},
            "terms": record["terms"],
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    out = console()
    out.print(f"{ecb.name}\n{ecb.path}\n{record['terms']}")
    table = Table("currency", "last fixing")
    for code, day in last.items():
        ended = day is not None and day < ecb.last_date
        table.add_row(code, f"[yellow]{day}[/]" if ended else str(day))
    out.print(table)


@app.command()
def spot(
    pair: Annotated[str, typer.Argument(help="The pair, e.g. EURUSD or USD/MXN.")],
    trade_date: Annotated[str, typer.Argument(help="The trade date, YYYY-MM-DD.")],
    tenor: Annotated[str, typer.Option(help="SPOT, ON, TN, SN, 1W, 1M, 3M, 1Y...")] = "SPOT",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The value date of a deal: spot by market convention, or a tenor from spot."""
    from crossborder.fx import value_date

    result = value_date(pair, parse_date(trade_date), tenor)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    out = console()
    out.print(
        f"{result.pair} {result.tenor} traded {result.trade_date}: "
        f"[bold]{result.value_date}[/] (from {result.start})"
    )
    out.print(result.explanation.to_text(), markup=False, highlight=False)


@app.command("exposure")
def exposure_command(
    positions: Annotated[Path, typer.Argument(help="CSV: kind, currency, amount, due, type, ref.")],
    functional: Annotated[str, typer.Option("--functional", help="Your functional currency.")],
    date: Annotated[str, typer.Option("--date", help="The rate date, YYYY-MM-DD.")],
    last: LastOption = 5,
    rates_file: RatesOption = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a chart (.png).")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Net FX exposure per currency and time bucket, in the functional currency."""
    from crossborder.fx import exposure, positions_from_csv

    report = exposure(
        positions_from_csv(positions),
        functional=functional,
        as_of=parse_date(date),
        rates=_provider(rates_file),
        policy=_policy(last),
    )
    if csv_out is not None:
        report.to_csv(writable(csv_out, suffixes=(".csv",)))
    if plot is not None:
        report.plot(writable(plot, suffixes=(".png", ".svg", ".pdf")))
    if as_json:
        typer.echo(json.dumps(report.rows(), indent=2))
        return
    table = Table(title=f"Exposure in {report.functional} as of {report.as_of}")
    rows = report.rows()
    for column in rows[0] if rows else ["currency"]:
        table.add_column(column, justify="left" if column in ("currency", "bucket") else "right")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    out = console()
    out.print(table)
    for q in report.quotes:
        out.print(f"  {q.base}/{q.quote} {q.rate:.10} fixed {q.fixing_date} ({q.source})")
    if plot is not None:
        out.print(f"chart: {plot}")


@app.command()
def hedge(
    positions: Annotated[Path, typer.Argument(help="CSV: kind, currency, amount, due, type, ref.")],
    policy: Annotated[Path, typer.Option("--policy", help="A hedge policy (TOML).")],
    market: Annotated[Path, typer.Option("--market", help="JSON {spot: {...}, rates: {...}}.")],
    functional: Annotated[str, typer.Option("--functional", help="Your functional currency.")],
    date: Annotated[str, typer.Option("--date", help="The day of the plan, YYYY-MM-DD.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Forward trades that bring each currency and bucket to the policy's cover."""
    from crossborder.errors import InputError
    from crossborder.fx import HedgePolicy, Market, hedge_plan, positions_from_csv

    data = read_json(market, what="the market")
    try:
        prices = Market(spot=data["spot"], rates=data["rates"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{market}: expected JSON with 'spot' and 'rates' ({exc})") from exc
    plan = hedge_plan(
        positions_from_csv(positions),
        HedgePolicy.from_toml(policy),
        functional=functional,
        market=prices,
        as_of=parse_date(date),
    )
    if as_json:
        typer.echo(plan.model_dump_json(indent=2, exclude={"explanation"}))
        return
    out = console()
    cover = Table("currency", "bucket", "exposure", "hedged", "target", "trade")
    for b in plan.buckets:
        cover.add_row(
            b.currency,
            b.bucket,
            str(b.exposure),
            str(b.hedged_before),
            f"{b.target:.0%}",
            str(b.trade),
        )
    out.print(cover)
    trades = Table("currency", "buy (+) / sell (-)", "value date", "forward", "in " + functional)
    for t in plan.trades:
        trades.add_row(
            t.currency, str(t.amount), str(t.value_date), f"{t.forward_rate:.6f}", str(t.functional)
        )
    out.print(trades)
    for code, rate in plan.blended_rate.items():
        out.print(f"blended hedge rate {code}: {rate}")
