"""Charts for people who would rather look than read (extra ``plot``: matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crossborder.errors import InputError


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no window, no display needed
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a test dependency
        raise InputError("charts need matplotlib: pip install 'crossborder[plot]'") from exc
    return plt


def exposure_chart(report: Any, path: Path) -> Path:
    """Hedged and open exposure in the functional currency, one panel per currency."""
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError(f"write the chart as .png, .svg or .pdf, got {path.name}")
    plt = _pyplot()
    currencies = sorted({c.currency for c in report.cells})
    if not currencies:
        raise InputError("no foreign-currency exposure to chart")
    fig, axes = plt.subplots(
        len(currencies), 1, figsize=(8, 2.4 * len(currencies) + 0.8), squeeze=False
    )
    for ax, code in zip(axes[:, 0], currencies, strict=True):
        cells = {c.bucket: c for c in report.cells if c.currency == code}
        labels = [b for b in report.buckets if b in cells]
        open_ = [float(cells[b].open_functional.amount) for b in labels]
        covered = [
            float(cells[b].net_functional.amount) - float(cells[b].open_functional.amount)
            for b in labels
        ]
        ax.bar(labels, covered, color="#4c72b0", label="hedged")
        ax.bar(labels, open_, bottom=covered, color="#dd8452", label="open")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_title(f"{code} exposure in {report.functional} (as of {report.as_of})", fontsize=10)
        ax.set_ylabel(report.functional)
        ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
