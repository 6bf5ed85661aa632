#!/usr/bin/env bash
# Install provcheck from pyproject.toml into .venv and run the main job on the sample corpus:
# compare the seed pair (terminal, JSON and HTML reports), index the corpus, find the copy's source,
# and cluster the corpus. Everything lands in reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
pc=.venv/bin/provcheck
src=corpus/001_f774ca4a0bf60419.txt
copy=corpus/000_4220fd22daa105e4.txt
mkdir -p reports
$pc compare "$src" "$copy"
$pc compare "$src" "$copy" --out reports/seed-pair.txt
$pc compare "$src" "$copy" --format json --out reports/seed-pair.json
$pc compare "$src" "$copy" --format html --out reports/seed-pair.html
rm -f reports/corpus.db
$pc index add corpus --db reports/corpus.db
$pc find "$copy" --db reports/corpus.db --format json > reports/find-seed-copy.json
$pc cluster corpus --out reports/cluster
echo "reports written to reports/ (open reports/seed-pair.html and reports/cluster/index.html)"
