import json
import subprocess
import sys

from typer.testing import CliRunner

from crossborder.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("crossborder 0.1.0 (data sha256:")


def test_demo_runs_every_section():
    result = runner.invoke(app, ["demo"], terminal_width=120)
    assert result.exit_code == 0, result.stdout
    for heading in ("1. money", "2. codes", "3. rules", "4. tax", "5. batch", "6. fx"):
        assert heading in result.stdout
    assert "Büsingen am Hochrhein" in result.stdout
    assert "eu.vat_area.excluded_territories@2021-01-01" in result.stdout
    assert "same as in the batch: yes" in result.stdout
    assert "replaced by EUR on 2026-01-01" in result.stdout


def test_data_table_and_json():
    table = runner.invoke(app, ["data"], terminal_width=160)
    assert table.exit_code == 0
    assert "codes/data/eu.toml" in table.stdout
    assert "money/data/iso4217.toml" in table.stdout
    data = json.loads(runner.invoke(app, ["data", "--json"]).stdout)
    assert data["data_version"].startswith("sha256:")
    eu = next(f for f in data["files"] if f["file"] == "codes/data/eu.toml")
    assert eu["jurisdiction"] == "EU"
    assert eu["valid_from"] == "1995-01-01"
    assert eu["review_by"] == "2027-06-30"


def test_no_arguments_shows_help():
    result = runner.invoke(app, [])
    assert "demo" in result.stdout
    assert "data" in result.stdout


def test_console_script_is_installed():
    out = subprocess.run(
        [sys.executable, "-m", "crossborder", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("crossborder ")


SAMPLE = str(
    __import__("importlib.resources").resources.files("crossborder") / "samples" / "order.json"
)


def test_tax_commands():
    rate = runner.invoke(app, ["tax", "rate", "DE", "--date", "2020-08-01"], terminal_width=160)
    assert rate.exit_code == 0
    assert "16 %" in rate.stdout
    assert "de.vat.rates@2020-07-01" in rate.stdout
    as_json = json.loads(
        runner.invoke(app, ["tax", "rate", "CA-QC", "--date", "2026-01-01", "--json"]).stdout
    )
    assert as_json["rate"] == "0.14975"
    quote = runner.invoke(
        app,
        [
            "tax",
            "quote",
            SAMPLE,
            "--date",
            "2026-08-01",
            "--rate",
            "EUR/USD=1.0850",
            "--json",
        ],
    )
    assert quote.exit_code == 0, quote.stdout
    assert json.loads(quote.stdout)["regime"] == "eu.import.ioss"
    missing = runner.invoke(app, ["tax", "quote", SAMPLE, "--date", "2026-08-01"])
    assert missing.exit_code != 0
    assert "--rate" in missing.output
    bad_date = runner.invoke(app, ["tax", "rate", "DE", "--date", "2026-13-01"])
    assert bad_date.exit_code != 0
    vat = runner.invoke(app, ["tax", "vat-id", "EL 094259216"])
    assert vat.exit_code == 0
    assert "valid" in vat.stdout
