"""`python -m pan123_oss`: the same as the `pan123-oss` command."""

import sys

from ._cli import main

sys.exit(main())
