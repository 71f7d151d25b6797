"""`python -m bot` is the `racebot` command."""

import sys

from bot.app.cli import main

sys.exit(main())
