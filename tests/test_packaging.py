"""The wheel carries the data files, py.typed and the entry points (built offline)."""

import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_wheel_contents(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("crossborder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src").rglob("data/*.toml")}
    assert data, "no packaged data found"
    assert data <= names, f"missing from the wheel: {sorted(data - names)}"
    assert "crossborder/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "crossborder = crossborder.cli:main" in text
    assert "[hypothesis]" in text
    assert not [n for n in names if "/tests/" in n or n.startswith("tests/")]
