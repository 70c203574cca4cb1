from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from crossborder import __version__
from crossborder.cli._common import console
from crossborder.cli._fx import app as fx_app
from crossborder.cli._tax import app as tax_app

app = typer.Typer(
    name="crossborder",
    help="Cross-border e-commerce compliance and settlement: exact, explained, offline.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        import crossborder

        typer.echo(f"crossborder {__version__} (data {crossborder.DATA_VERSION})")
        raise typer.Exit()


app.add_typer(tax_app, name="tax")
app.add_typer(fx_app, name="fx")


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Cross-border e-commerce compliance and settlement."""


@app.command()
def demo() -> None:
    """Run an end-to-end tour of every capability on packaged sample data."""
    from crossborder.cli._demo import run

    run(console())


@app.command()
def data(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the Markdown coverage page of the docs.")
    ] = False,
) -> None:
    """List the packaged data files: jurisdiction, dates covered, review date, data version."""
    from crossborder.cli._data import coverage_markdown, inventory

    if markdown:
        typer.echo(coverage_markdown(), nl=False)
        return
    rows, version = inventory()
    if as_json:
        typer.echo(json.dumps({"data_version": version, "files": rows}, indent=2))
        return
    table = Table(title=f"Packaged data ({version})")
    table.add_column("file", no_wrap=True)
    for column in ("jurisdiction", "entries", "from", "to", "review by"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(
            row["file"],
            row["jurisdiction"],
            str(row["rules"]),
            row["valid_from"] or "",
            row["valid_to"] or "open",
            row["review_by"],
        )
    console().print(table)


def main() -> None:
    """Console-script entry point: turn library errors into a clean message and exit 2."""
    import sys

    from crossborder.errors import CrossborderError

    for stream in (sys.stdout, sys.stderr):  # names like Büsingen must not crash a C locale
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        app()
    except CrossborderError as exc:
        console(stderr=True).print(f"[bold red]error:[/] {exc}")
        raise SystemExit(2) from None
