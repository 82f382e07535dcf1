"""``python -m zhbook.tools.catalog`` (``zhbook catalog``): write the catalogue records."""
import sys

from zhbook.tools.catalog import main

sys.exit(main())
