#!/usr/bin/env bash
# Set up a virtual environment from pyproject.toml (all extras) and run lint and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev,web,spark]'
.venv/bin/ruff check provcheck tests benchmarks
.venv/bin/ruff format --check provcheck tests benchmarks
.venv/bin/lint-imports
.venv/bin/mypy provcheck
.venv/bin/python -m pytest -q "$@"
