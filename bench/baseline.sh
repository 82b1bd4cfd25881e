#!/usr/bin/env bash
# The build a user would run without the runner: the papermill command line for each
# notebook and `jupyter nbconvert` for the report, one year after the other.
#
#   bench/baseline.sh BIN RAW_DIR OUT_DIR YEAR...
#
# BIN is the folder with papermill and jupyter (.venv/bin). Executed notebooks and
# the HTML go to OUT_DIR/<year>/, tables to OUT_DIR/processed/<year>/.
set -euo pipefail
bin=$(realpath "$1") raw=$(realpath "$2") out=$(realpath -m "$3")
shift 3
notebooks="$(cd "$(dirname "$0")/.." && pwd)/notebooks"

for year in "$@"; do
    mkdir -p "$out/$year"
    "$bin/papermill" --no-progress-bar --log-level WARNING --cwd "$notebooks" \
        "$notebooks/01_clean.ipynb" "$out/$year/01_clean.ipynb" \
        -p year "$year" -p raw_dir "$raw" -p processed_dir "$out/processed"
    "$bin/papermill" --no-progress-bar --log-level WARNING --cwd "$notebooks" \
        "$notebooks/02_uptake.ipynb" "$out/$year/02_uptake.ipynb" \
        -p year "$year" -p processed_dir "$out/processed"
    "$bin/papermill" --no-progress-bar --log-level WARNING --cwd "$notebooks" \
        "$notebooks/03_report.ipynb" "$out/$year/03_report.ipynb" \
        -p year "$year" -p processed_dir "$out/processed"
    "$bin/jupyter" nbconvert --to html --no-input --log-level WARN \
        --output "lerarenkaart-$year" --output-dir "$out/$year" \
        "$out/$year/03_report.ipynb"
done
