"""``python -m cbt_server`` is ``cbt-server``."""

import sys

from cbt_server.cli import main

sys.exit(main())
