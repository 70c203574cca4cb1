"""The README's commands and its 30-second example stay true."""

import contextlib
import io
import pathlib
import re

README = (pathlib.Path(__file__).parents[1] / "README.md").read_text()


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    assert "crossborder demo" in blocks[0]
    assert blocks[1].strip() == "bash scripts/check"
    assert "bash scripts/check" in (pathlib.Path(__file__).parents[1] / ".ci" / "run").read_text()


def test_thirty_second_example_runs_and_prints_what_it_says():
    (code,) = re.findall(r"```python\n(.*?)```", README, re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = out.getvalue()
    for expected in ("23.79 EUR", "False", "0.16", "eu.import.ioss 8.85 EUR"):
        assert expected in printed
