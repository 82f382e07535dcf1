"""``python -m zhbook TOOL ARGS…``: the same as the ``zhbook`` command (:mod:`zhbook.cli`)."""
import sys

from zhbook.cli import main

sys.exit(main())
