from __future__ import annotations

import datetime as _dt

import typer
from rich.console import Console


def console(*, stderr: bool = False) -> Console:
    """A console that keeps tables readable when output goes to a file or a pipe."""
    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(stderr=stderr, width=120)


def parse_date(text: str) -> _dt.date:
    """An ISO date from the command line, or a clear usage error."""
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"dates are YYYY-MM-DD, got {text!r}") from None
