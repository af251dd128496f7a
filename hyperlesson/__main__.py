"""`python -m hyperlesson`: the same as the `hyperlesson` command."""

from .command import main

main(prog_name="hyperlesson")
