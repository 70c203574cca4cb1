from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

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


def read_json(path: Path, *, what: str) -> Any:
    """A JSON file, with decimals kept exact; a typed error for a missing or broken file."""
    from decimal import Decimal

    from crossborder.errors import InputError

    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeError, ValueError) as exc:
        raise InputError(f"{path}: cannot read {what} ({exc})") from exc


def writable(path: Path, *, suffixes: tuple[str, ...]) -> Path:
    """An output path with one of ``suffixes`` in a folder that exists."""
    from crossborder.errors import InputError

    if path.suffix.lower() not in suffixes:
        raise InputError(f"{path}: write {' or '.join(suffixes)}")
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist")
    return path
