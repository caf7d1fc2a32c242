"""``python -m brainrs.bench {coba,compare} ...`` (see ``brainrs.bench``)."""

import sys

from .cli import main

sys.exit(main())
