"""``python -m gitpod_resources``: the ``gitpod-resources`` command."""

import sys

from gitpod_resources.cli import main

sys.exit(main())
