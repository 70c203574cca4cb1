from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from crossborder.cli._common import console, parse_date, read_json, writable
from crossborder.errors import InputError

app = typer.Typer(help="VAT/GST rates, VAT ids and landed-cost quotes.", no_args_is_help=True)


@app.command()
def rate(
    place: Annotated[str, typer.Argument(help="Country or subdivision: DE, CA-QC, US-CA, ES-CN.")],
    date: Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD (required).")],
    category: Annotated[str, typer.Option(help="Rate kind or product category.")] = "standard",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The VAT/GST/sales-tax rate at a place on a date, with its sources."""
    from crossborder.tax import vat_rate

    result = vat_rate(place, as_of=parse_date(date), category=category, allow_provisional=True)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    out = console()
    table = Table(title=f"{result.place} on {result.as_of}: {result.category}")
    for column in ("tax", "kind", "rate", "rule"):
        table.add_column(column)
    for c in result.components:
        table.add_row(c.tax, c.kind, _percent(c.rate), c.rule.ref)
    table.add_row("total", result.kind, _percent(result.rate), "")
    out.print(table)
    for note in result.notes:
        out.print(f"[yellow]note:[/] {note}")
    out.print(result.explanation.to_text(), markup=False, highlight=False)


def _percent(rate: Any) -> str:
    return f"{(rate * 100).normalize():f} %"


@app.command("vat-id")
def vat_id(
    number: Annotated[str, typer.Argument(help="The VAT id, e.g. DE136695976 or 'EL 094259216'.")],
    country: Annotated[str | None, typer.Option(help="Country, for ids without a prefix.")] = None,
) -> None:
    """Check a VAT id's format and checksum offline."""
    from crossborder.tax import validate_vat_id

    result = validate_vat_id(number, country=country)
    console().print(
        f"[green]valid[/] {result.scheme} number of {result.country}: {result.formatted}"
    )


def load_rates(pairs: list[str], path: Path | None) -> Any:
    """A FixedRates table from ``--rate EUR/USD=1.085`` options and/or a JSON file."""
    from crossborder.fx import FixedRates

    table: dict[str, Any] = {}
    if path is not None:
        data = read_json(path, what="rates")
        data = data.get("rates", data) if isinstance(data, dict) else data
        if not isinstance(data, dict):
            raise InputError(f'{path}: rates are a JSON object such as {{"EUR/USD": "1.085"}}')
        table.update(data)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"--rate takes PAIR=RATE such as EUR/USD=1.085, got {pair!r}")
        table[key.strip()] = value.strip()
    return (
        FixedRates.from_mapping(table, name=str(path) if path else "command line")
        if table
        else None
    )


def quote_table(result: Any) -> Table:
    """One landed-cost result as a table of lines."""
    table = Table(title=f"{result.destination} on {result.as_of}: {result.regime}")
    for column in ("line", "status", "customs value", "duty", "duty reason", "tax", "tax reason"):
        table.add_column(column)
    for line in result.lines:
        duty = (
            f"{line.duty_min} .. {line.duty_max}" if line.duty_min is not None else str(line.duty)
        )
        table.add_row(
            line.description,
            line.status,
            str(line.customs_value),
            duty,
            line.duty_reason,
            str(line.tax),
            line.tax_reason,
        )
    return table


@app.command()
def quote(
    order: Annotated[Path, typer.Argument(help="A shipment as JSON (see samples/order.json).")],
    date: Annotated[str, typer.Option("--date", help="The day of the sale, YYYY-MM-DD.")],
    destination: Annotated[
        list[str] | None, typer.Option("--to", help="Quote for these destinations instead.")
    ] = None,
    rate_option: Annotated[
        list[str] | None, typer.Option("--rate", help="An exchange rate, EUR/USD=1.085.")
    ] = None,
    rates_file: Annotated[Path | None, typer.Option("--rates", help="JSON {pair: rate}.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Quote duties and taxes for an order: regime, who collects, what is due when, and why."""
    from crossborder.errors import RateUnavailableError
    from crossborder.tax import landed_cost
    from crossborder.tax._landed import _shipment_of

    raw = read_json(order, what="the order")
    if not isinstance(raw, dict):
        raise InputError(f"{order}: an order is a JSON object (see samples/order.json)")
    rates = load_rates(rate_option or [], rates_file)
    day = parse_date(date)
    results = []
    places: list[Any] = list(destination) if destination else [raw.get("destination")]
    for dest in places:
        shipment = _shipment_of({**raw, "destination": dest})
        try:
            results.append(landed_cost(shipment, as_of=day, rates=rates))
        except RateUnavailableError as exc:
            raise typer.BadParameter(
                f"{exc}: give rates with --rate EUR/USD=1.085 or --rates rates.json"
            ) from exc
    if as_json:
        payload = [json.loads(r.model_dump_json()) for r in results]
        typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2))
        return
    out = console()
    for result in results:
        out.print(quote_table(result))
        for charge in result.charges:
            out.print(
                f"  {charge.name}: {charge.amount}, "
                f"collected by {charge.collector}, due {charge.due}"
            )
        checkout = f"{result.due_at_checkout} ({result.due_at_checkout_order_currency})"
        out.print(
            f"  due at checkout {checkout}, at delivery {result.due_at_delivery}, "
            f"landed {result.landed_total}"
        )
        for warning in result.warnings:
            out.print(f"  [yellow]warning:[/] {warning}")
    if len(results) == 1:
        out.print(results[0].explanation.to_text(), markup=False, highlight=False)


@app.command("quote-file")
def quote_file(
    orders: Annotated[
        Path, typer.Argument(help="Shipments as JSON Lines (one per line) or a JSON array.")
    ],
    date: Annotated[str, typer.Option("--date", help="The day of the sales, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="Order rows: .parquet or .csv.")],
    lines_out: Annotated[
        Path | None, typer.Option("--lines", help="Line rows too: .parquet or .csv.")
    ] = None,
    rate_option: Annotated[
        list[str] | None, typer.Option("--rate", help="An exchange rate, EUR/USD=1.085.")
    ] = None,
    rates_file: Annotated[Path | None, typer.Option("--rates", help="JSON {pair: rate}.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Quote a file of orders at once (amounts in minor units), with a summary by currency."""
    from rich.progress import Progress

    from crossborder.tax import landed_cost_batch

    for path in (out, lines_out):
        if path is not None:
            writable(path, suffixes=(".parquet", ".csv"))
    if lines_out is not None and lines_out.resolve() == out.resolve():
        raise InputError("--out and --lines must be different files")
    shipments = read_orders(orders)
    rates = load_rates(rate_option or [], rates_file)
    with Progress(console=console(stderr=True), transient=True, disable=as_json) as bar:
        task = bar.add_task("quoting", total=len(shipments))
        batch = landed_cost_batch(
            shipments,
            as_of=parse_date(date),
            rates=rates,
            progress=lambda n: bar.update(task, completed=n),
        )
    write_table(batch.orders, out)
    if lines_out is not None:
        write_table(batch.lines, lines_out)
    summary = batch_summary(batch)
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    table = Table(title=f"{summary['orders']} orders quoted for {date}")
    for column in ("currency", "orders", "duty", "tax", "at checkout", "at delivery"):
        table.add_column(column, justify="right" if column != "currency" else "left")
    for row in summary["by_currency"]:
        table.add_row(
            *(str(row[k]) for k in ("currency", "orders", "duty", "tax")),
            str(row["due_at_checkout"]),
            str(row["due_at_delivery"]),
        )
    out_console = console()
    out_console.print(table)
    out_console.print(
        f"{summary['lines']} lines; {summary['one_by_one']} orders quoted one by one; "
        f"{summary['errors']} not quoted (see error_type and error in {out})"
    )


def read_orders(path: Path) -> list[Any]:
    """Shipments from a JSON array or JSON Lines file, as dicts (validated when quoted)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise InputError(f"{path}: cannot read the orders ({exc})") from exc
    if text.lstrip().startswith("["):
        data = read_json(path, what="the orders")
        return list(data)
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise typer.BadParameter(f"{path}:{number}: not JSON: {exc.msg}") from exc
    return rows


def write_table(table: Any, path: Path) -> None:
    """An Arrow table as Parquet, or as CSV with its list columns written as JSON text."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            pq.write_table(table, path)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc})") from exc
        return
    import pyarrow as pa
    import pyarrow.csv as pacsv

    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type):
            text = pa.array([json.dumps(v) for v in table.column(i).to_pylist()], pa.string())
            table = table.set_column(i, field.name, text)
    try:
        pacsv.write_csv(table, path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc})") from exc


def batch_summary(batch: Any) -> dict[str, Any]:
    """Counts, and totals per tax currency as decimal text."""
    from crossborder.money import Money

    totals: dict[str, dict[str, int]] = {}
    errors = 0
    for row in batch.orders.to_pylist():
        if row["error_type"] is not None:
            errors += 1
            continue
        sums = totals.setdefault(row["currency"], dict.fromkeys(_SUMMED, 0))
        sums["orders"] += 1
        for key in _SUMMED[1:]:
            sums[key] += row[key]
    return {
        "orders": batch.orders.num_rows,
        "lines": batch.lines.num_rows,
        "one_by_one": batch.one_by_one,
        "errors": errors,
        "by_currency": [
            {"currency": cur, "orders": s["orders"]}
            | {
                key.removesuffix("_total"): str(Money.from_minor(s[key], cur).amount)
                for key in _SUMMED[1:]
            }
            for cur, s in sorted(totals.items())
        ],
    }


_SUMMED = ("orders", "duty_total", "tax_total", "due_at_checkout", "due_at_delivery")
