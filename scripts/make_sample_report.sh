#!/usr/bin/env bash
# Generate the sample synthesis report of the demonstration province (fictional "Lục Vân", labelled "dữ liệu minh
# họa") into docs/samples/: DOCX and PDF of the 2024 annual report, plus the XLSX appendices.
# Uses a throw-away SQLite database, so it never touches var/. Usage: scripts/make_sample_report.sh [PERIOD] [DATE]
set -euo pipefail
cd "$(dirname "$0")/.."
period="${1:-2024}"
day="${2:-2025-11-20}"
tmp="$(mktemp -d /tmp/xanh-sample.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export XANH_VAR_DIR="$tmp" DATABASE_URL="sqlite:///$tmp/sample.sqlite3"
export XANH_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend"
.venv/bin/xanh bootstrap --demo >/dev/null
plan="$(.venv/bin/xanh shell -c 'from xanh.core.demo import demo_plan; print(demo_plan().pk)' 2>/dev/null | tail -1)"
mkdir -p docs/samples
for fmt in docx pdf xlsx; do
  .venv/bin/xanh report synthesize --plan "$plan" --period "$period" --date "$day" --format "$fmt" \
    -o "docs/samples/bao-cao-tong-hop-luc-van-$period.$fmt" --no-progress
done
