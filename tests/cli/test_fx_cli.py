"""crossborder fx: rate, convert, convert-file, update, sources."""

import json
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from crossborder.cli import app
from crossborder.errors import InputError, RateUnavailableError
from crossborder.fx import EcbRates

runner = CliRunner()


def fx(*args):
    return runner.invoke(app, ["fx", *args], terminal_width=160)


def test_rate_and_convert():
    result = fx("rate", "USD", "EUR", "--date", "2024-01-05", "--json")
    assert result.exit_code == 0, result.output
    quote = json.loads(result.stdout)
    assert (quote["derivation"], quote["legs"]) == ("inverse", ["1 / EUR/USD 1.0921"])
    saturday = fx("convert", "100", "USD", "JPY", "--date", "2024-01-06", "--last", "3")
    assert saturday.exit_code == 0, saturday.output
    assert "100.00 USD = 14520 JPY" in saturday.stdout
    assert "fixing_date=2024-01-05" in saturday.stdout
    exact = fx("convert", "100", "USD", "JPY", "--date", "2024-01-06")
    assert isinstance(exact.exception, RateUnavailableError)  # main() prints it, exit status 2
    assert "last_fixing" in str(exact.exception)


def test_ended_currency_and_bad_rounding():
    ended = fx("rate", "BGN", "EUR", "--date", "2026-02-02")
    assert isinstance(ended.exception, RateUnavailableError)
    assert "Bulgaria adopted the euro" in str(ended.exception)
    bad = fx("convert", "1", "USD", "EUR", "--date", "2024-01-05", "--rounding", "nearest")
    assert bad.exit_code == 2
    assert "half_even" in bad.output


def test_convert_file(tmp_path):
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(
        pa.table({"cents": [100, 250], "ccy": ["USD", "GBP"], "day": ["2024-01-05", "2024-01-08"]}),
        source,
    )
    result = fx(
        "convert-file",
        str(source),
        "--to",
        "EUR",
        "--out",
        str(target),
        "--amount",
        "cents",
        "--currency",
        "ccy",
        "--date-column",
        "day",
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(target).column("converted").to_pylist() == [92, 290]


def test_update_and_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSBORDER_HOME", str(tmp_path / "home"))
    with zipfile.ZipFile(EcbRates.packaged().path) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    header, first, rest = text.split("\n", 2)
    later = first.replace("2026-10-30", "2026-11-02")
    download = tmp_path / "eurofxref-hist.csv"
    download.write_text("\n".join([header, later, first, rest]))
    result = fx("update", str(download))
    assert result.exit_code == 0, result.output
    assert "to 2026-11-02" in result.stdout
    listing = json.loads(fx("sources", "--json").stdout)
    assert listing["last_date"] == "2026-11-02"
    assert listing["currencies"]["BGN"] == "2025-12-31"
    assert isinstance(fx("update", str(tmp_path / "missing.zip")).exception, InputError)


def test_exposure_table_csv_json_and_chart(tmp_path):
    sample = Path(__file__).parents[2] / "src" / "crossborder" / "samples" / "positions.csv"
    args = ["exposure", str(sample), "--functional", "EUR", "--date", "2024-01-05"]
    shown = fx(*args, "--plot", str(tmp_path / "exposure.png"), "--csv", str(tmp_path / "e.csv"))
    assert shown.exit_code == 0, shown.output
    assert "Exposure in EUR as of 2024-01-05" in shown.stdout
    assert (tmp_path / "exposure.png").read_bytes()[:4] == b"\x89PNG"
    rows = json.loads(fx(*args, "--json").stdout)
    usd = {r["bucket"]: r for r in rows if r["currency"] == "USD"}
    assert usd["1-3M"]["net"] == "219650.00"  # 184,250 + 96,400 - 61,000
    assert {r["currency"] for r in rows} == {"USD", "GBP", "JPY", "CHF"}


def test_spot_command():
    result = fx("spot", "EURUSD", "2026-11-25", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["value_date"] == "2026-11-27"
    three = fx("spot", "EURUSD", "2026-11-25", "--tenor", "3M")
    assert "2027-02-26" in three.stdout  # 27 Feb is a Saturday: Modified Following


def test_hedge_command():
    samples = Path(__file__).parents[2] / "src" / "crossborder" / "samples"
    result = fx(
        "hedge",
        str(samples / "positions.csv"),
        "--policy",
        str(samples / "hedge_policy.toml"),
        "--market",
        str(samples / "market.json"),
        "--functional",
        "EUR",
        "--date",
        "2024-01-05",
        "--json",
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    usd = [b for b in plan["buckets"] if b["currency"] == "USD" and b["bucket"] == "6-12M"]
    assert usd[0]["trade"] == {"amount": "-600000.00", "currency": "USD"}
    assert (
        sum(
            float(t["amount"]["amount"])
            for t in plan["trades"]
            if t["bucket"] == "1-3M" and t["currency"] == "USD"
        )
        == -175720.0
    )
