#!/usr/bin/env bash
# Differential syscall conformance suite: every test runs natively and under
# wali, outputs and exit statuses must agree; see linux-tests/README.md.
#   linux-tests/run.sh [--native-only] [-v] [--keep] [-j N] [TEST|FAMILY ...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "run.sh: python3 is required" >&2; exit 2; }
exec python3 "$here/runner.py" "$@"
