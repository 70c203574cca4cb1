"""The ``crossborder`` command line: ``demo``, ``data`` and one group per domain."""

from crossborder.cli._app import app, main

__all__ = ["app", "main"]
