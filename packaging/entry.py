"""The frozen bundle's entry point: what the `traywatch` console script runs."""

import sys

from traywatch.cli import main

sys.exit(main())
