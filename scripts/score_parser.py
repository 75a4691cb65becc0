#!/usr/bin/env python
"""Score the plan parser against tests/documents/expected/*.json; exits 1 below the quality bar.

Usage: .venv/bin/python scripts/score_parser.py [-v] [expected.json ...]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xanh.documents.parsing.score import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
