"""``python -m nnviz`` does what the ``nnviz`` command does."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
