"""``python -m sim``: the simulator's command line (``sim/cli/app.py``)."""

from sim.cli.app import main
from sim.cli.errors import run_app

if __name__ == "__main__":
    run_app(main)
