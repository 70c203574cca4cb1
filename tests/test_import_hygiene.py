"""`import crossborder` must stay cheap: no heavy dependency, no data file."""

import json
import subprocess
import sys

HEAVY = ("pydantic", "hypothesis", "babel", "holidays", "pycountry", "moneyed", "typer", "rich")


def run(code):
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout, out.stderr


def test_import_loads_no_heavy_dependency_and_no_data():
    code = (
        "import builtins, json, sys, io\n"
        "opened = []\n"
        "real = io.open\n"
        "def spy(file, *a, **k):\n"
        "    opened.append(str(file))\n"
        "    return real(file, *a, **k)\n"
        "io.open = builtins.open = spy\n"
        "import crossborder\n"
        "mods = sorted({m.split('.')[0] for m in sys.modules})\n"
        "print(json.dumps({'mods': mods, 'opened': opened}))\n"
    )
    stdout, _ = run(code)
    seen = json.loads(stdout)
    for heavy in HEAVY:
        assert heavy not in seen["mods"], f"import crossborder imported {heavy}"
    assert not [f for f in seen["opened"] if f.endswith((".toml", ".json"))]


def test_data_loads_lazily_on_first_use():
    stdout, _ = run(
        "import sys\n"
        "from crossborder.money import Money\n"
        "print('before', 'crossborder.rules._book' in sys.modules)\n"
        "Money.of('1', 'EUR')\n"
        "import datetime\n"
        "from crossborder.codes import in_eu\n"
        "in_eu('DE', as_of=datetime.date(2024, 1, 1))\n"
        "from crossborder.rules import RuleBook\n"
        "print('after', RuleBook._packaged is not None)\n"
    )
    assert "before False" in stdout
    assert "after True" in stdout
