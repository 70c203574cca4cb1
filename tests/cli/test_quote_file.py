"""crossborder tax quote-file: a file of orders in, order and line tables out."""

import json
import pathlib

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from typer.testing import CliRunner

from crossborder.cli import app
from crossborder.errors import InputError

runner = CliRunner()
SAMPLES = pathlib.Path(__file__).parents[2] / "src" / "crossborder" / "samples"
RATES = str(SAMPLES / "rates.json")


def orders_file(tmp_path, *, as_array=False):
    order = json.loads((SAMPLES / "order.json").read_text())
    orders = [{**order, "destination": dest} for dest in ("DE", "GB", "AU", "US-CA", "JP", "BR")]
    path = tmp_path / ("orders.json" if as_array else "orders.jsonl")
    text = json.dumps(orders) if as_array else "\n".join(json.dumps(o) for o in orders) + "\n"
    path.write_text(text)
    return path


def quote_file(path, out, *extra):
    """Run the command for the 2026-11-25 sales."""
    args = ["tax", "quote-file", str(path), "--date", "2026-11-25", "--out", str(out), *extra]
    return runner.invoke(app, args, terminal_width=140)


def test_parquet_out_with_summary(tmp_path):
    out, lines = tmp_path / "quotes.parquet", tmp_path / "lines.parquet"
    result = quote_file(orders_file(tmp_path), out, "--rates", RATES, "--lines", str(lines))
    assert result.exit_code == 0, result.stdout
    orders = pq.read_table(out)
    assert orders.num_rows == 6
    assert orders.column("error_type").to_pylist()[-1] == "NotFoundError"  # BR: not covered
    assert orders.column("regime").to_pylist()[1] == "gb.low_value"
    assert pq.read_table(lines).num_rows == 15  # 5 quoted orders of 3 lines
    assert "6 orders quoted for 2026-11-25" in result.stdout
    assert "1 not quoted" in result.stdout


def test_csv_and_json_summary(tmp_path):
    out = tmp_path / "quotes.csv"
    result = quote_file(orders_file(tmp_path, as_array=True), out, "--rates", RATES, "--json")
    assert result.exit_code == 0, result.stdout
    summary = json.loads(result.stdout)
    assert (summary["orders"], summary["errors"]) == (6, 1)
    gbp = next(r for r in summary["by_currency"] if r["currency"] == "GBP")
    assert gbp["orders"] == 1
    charges = json.loads(pacsv.read_csv(out).column("charges").to_pylist()[0])
    names = {c["name"] for c in charges}
    assert names <= {"customs duty", "import tax", "VAT/GST", "flat customs duty"}


def test_bad_files_are_usage_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"lines": []}\nnot json\n')
    result = quote_file(bad, tmp_path / "q.csv")
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.output
    wrong = quote_file(orders_file(tmp_path), tmp_path / "q.xlsx")
    assert isinstance(wrong.exception, InputError)  # main() prints it, exit status 2
    assert ".parquet or .csv" in str(wrong.exception)
    same = quote_file(orders_file(tmp_path), tmp_path / "q.csv", "--lines", str(tmp_path / "q.csv"))
    assert isinstance(same.exception, InputError)
    missing = quote_file(tmp_path / "none.jsonl", tmp_path / "q.csv")
    assert isinstance(missing.exception, InputError)
    nowhere = quote_file(orders_file(tmp_path), tmp_path / "no" / "q.csv")
    assert isinstance(nowhere.exception, InputError)
