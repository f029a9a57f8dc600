"""``python -m ringkas``."""

from ringkas.cli import main

main()
