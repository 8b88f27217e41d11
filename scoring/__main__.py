"""``python -m scoring`` is ``cbt-score``."""

import sys

from scoring.cli import main

sys.exit(main())
