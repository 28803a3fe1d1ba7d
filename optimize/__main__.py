"""``python -m optimize``: the optimiser's command line (``optimize/cli.py``)."""

from optimize.cli import main
from sim.cli.errors import run_app

if __name__ == "__main__":
    run_app(main)
