"""``python -m crossborder`` runs the command line."""

from crossborder.cli import main

main()
