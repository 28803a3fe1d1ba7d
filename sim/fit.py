"""``python -m sim.fit``: fit a scenario to a contact log (``sim/cli/fit.py``)."""

from sim.cli.errors import run_app
from sim.cli.fit import main

if __name__ == "__main__":
    run_app(main)
