# ruff: noqa: T201  (a command-line script: it reports on stdout)
"""Quality gate: run the shared evaluations and fail when a figure drops below its pinned floor.

usage: python scripts/quality_gate.py [--shared DIR] [--floors FILE]

The evaluation sets live outside the repository, in ``../shared`` beside it (CI puts a copy
there). Where that folder is missing (a user's machine) the gate says so and passes. Floors are in
scripts/quality_floors.toml. Exit 0 when every figure meets its floor, 1 when one does not.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def figures(output: str) -> dict[str, float]:
    """``name: value`` lines of an evaluation's output, numbers only."""
    out: dict[str, float] = {}
    for line in output.splitlines():
        name, sep, value = line.rpartition(":")
        if not sep:
            continue
        try:
            out[name.strip()] = float(value.split()[0]) if value.split() else float("nan")
        except ValueError:
            continue
    return out


def run(cmd: list[str]) -> dict[str, float]:
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if p.returncode != 0:
        print(f"gate: {' '.join(cmd[:3])} failed (exit {p.returncode}): {p.stderr.strip()[-300:]}")
    return figures(p.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--floors", type=Path, default=ROOT / "scripts" / "quality_floors.toml")
    a = ap.parse_args()
    shared: Path = a.shared
    if not (shared / "eval").is_dir():
        print(f"gate: skipped, no evaluation sets at {shared} (CI places a copy of shared/ beside the repo)")
        return 0
    floors = tomllib.loads(a.floors.read_text(encoding="utf-8"))
    py = sys.executable
    provcheck = str(Path(py).with_name("provcheck"))
    suites = {
        "real_dev": [
            py,
            str(shared / "eval" / "score_real.py"),
            str(shared / "realsets" / "reprints-zh-dev"),
            "--cmd",
            provcheck,
        ],
        "devset": [
            py,
            str(shared / "eval" / "score.py"),
            str(shared / "devset"),
            "--cmd",
            provcheck,
            "--stages",
            "compare",
        ],
        "clough_stevenson": [
            py,
            "-m",
            "benchmarks.eval_clough_stevenson",
            str(shared / "realsets" / "clough-stevenson-en"),
        ],
    }
    failed = 0
    for suite, wanted in floors.items():
        got = run(suites[suite])
        for name, floor in wanted.items():
            value = got.get(name)
            ok = value is not None and value >= floor
            failed += not ok
            shown = "missing" if value is None else f"{value:.4f}"
            print(f"{'ok  ' if ok else 'FAIL'} {suite}: {name} {shown} (floor {floor})")
    print(f"gate: {'failed, ' + str(failed) + ' below floor' if failed else 'passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
