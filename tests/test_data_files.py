"""Every packaged data file: schema, contiguity, citations, review dates, coverage page."""

import datetime as dt
import pathlib

import pytest

from crossborder.money._currency import DATA_FILE
from crossborder.money._currency_model import CurrencyFile
from crossborder.rules._book import packaged_data_files, parse_rule_file, read_toml

FILES = packaged_data_files()
ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_there_is_data():
    names = [name for name, _ in FILES]
    assert DATA_FILE in names
    assert "codes/data/eu.toml" in names


@pytest.mark.parametrize(("name", "resource"), FILES, ids=[n for n, _ in FILES])
def test_file_is_valid(name, resource):
    blob = resource.read_bytes()
    raw = read_toml(name, blob)
    if raw.get("kind") == "rules":
        data = parse_rule_file(name, blob)
        citations = [c for r in data.rules for v in r.versions for c in v.citations]
        for rule in data.rules:
            for v in rule.versions:
                if v.status in ("provisional", "expected"):
                    assert v.note, f"{rule.id}@{v.valid_from} is {v.status} with no note"
    elif raw.get("kind") == "provenance":
        check_provenance(name, raw)
        return
    else:
        assert raw.get("kind") == "currencies", f"{name}: unknown kind"
        data = CurrencyFile.model_validate(raw)
        citations = list(data.citations) + [c for cur in data.currencies for c in cur.citations]
        for cur in data.currencies:
            if cur.valid_from or cur.valid_to:
                assert cur.citations, f"{cur.code}: dates without a citation"
            if cur.status == "provisional":
                assert cur.note, f"{cur.code} is provisional with no note"
    assert citations
    newest = max(c.retrieved for c in citations if c.retrieved)
    assert all(c.url.startswith("https://") for c in citations)
    assert data.review_by > newest, f"{name}: review_by is not after the newest retrieval"
    assert data.review_by - newest <= dt.timedelta(days=550), f"{name}: review_by too far off"


def test_no_python_in_data_folders():
    for path in (ROOT / "src" / "crossborder").rglob("data"):
        assert not (path / "__init__.py").exists()


def test_coverage_page_matches_the_data():
    from crossborder.cli._data import coverage_markdown

    page = ROOT / "docs" / "coverage.md"
    assert page.read_text() == coverage_markdown(), (
        "docs/coverage.md is stale: run `crossborder data --markdown > docs/coverage.md`"
    )


def check_provenance(name, raw):
    """A packaged non-rule data file: its digest and dates match what the record says."""
    import hashlib

    from crossborder.fx import EcbRates

    assert name == "fx/data/ecb.toml", f"{name}: provenance of an unknown file"
    assert raw["url"].startswith("https://www.ecb.europa.eu/")
    assert raw["review_by"] > raw["retrieved"]
    ecb = EcbRates.packaged()
    assert hashlib.sha256(ecb.path.read_bytes()).hexdigest() == raw["sha256"]
    assert (ecb.first_date, ecb.last_date) == (raw["first_date"], raw["last_date"])
