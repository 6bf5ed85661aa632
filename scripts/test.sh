#!/usr/bin/env bash
# Set up a virtual environment from pyproject.toml (all extras), run lint, the test suite and the quality gate.
set -euo pipefail
cd "$(dirname "$0")/.."
# Browser tests need Debian's Chromium; install it when missing (skipped quietly where apt is absent).
# A CJK font makes the screenshots legible (the assertions do not depend on it).
if command -v apt-get >/dev/null 2>&1 && { ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto.*cjk"; }; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
    || echo "test.sh: chromium could not be installed (needs root and apt); the browser tests will skip"
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev,web,spark]'
.venv/bin/ruff check provcheck tests benchmarks
.venv/bin/ruff format --check provcheck tests benchmarks
.venv/bin/lint-imports
.venv/bin/mypy provcheck
.venv/bin/python -m pytest -q "$@"
# Quality gate: floors on the shared evaluation sets (skips with a message where ../shared is absent).
.venv/bin/python scripts/quality_gate.py
