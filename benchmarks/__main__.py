"""Run the benchmarks: ``python -m benchmarks [--out FILE] [NAME ...]``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import sys

from benchmarks import _core, _fx, _tax

BENCHMARKS = _core.BENCHMARKS + _tax.BENCHMARKS + _fx.BENCHMARKS


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="run only benchmarks whose name contains these")
    parser.add_argument("--out", default="benchmarks/results/latest.json", help="JSON record")
    args = parser.parse_args()
    chosen = [b for b in BENCHMARKS if not args.names or any(n in b.__name__ for n in args.names)]
    results = []
    for bench in chosen:
        result = bench()
        results.append(result)
        met = result.get("meets_target", result["ratio"] >= result["target"])
        verdict = "ok" if met else "BELOW TARGET"
        print(f"{result['name']}\n  ours {result['ours']}  reference {result['reference']}")
        print(f"  ratio {result['ratio']:.2f} ({result['ratio_meaning']}) {verdict}\n")
    record = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()} {os.cpu_count()} cpus",
        "results": results,
    }
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
