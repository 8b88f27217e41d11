"""``python -m question_bank`` is ``cbt-bank``."""

import sys

from question_bank.cli import main

sys.exit(main())
