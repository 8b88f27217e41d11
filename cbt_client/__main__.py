"""``python -m cbt_client`` is ``cbt-client``."""

from cbt_client.cli import main

raise SystemExit(main())
