"""``python -m sim.calibrate``: the calibration's command line (``sim/cli/calibrate.py``)."""

from sim.cli.calibrate import main
from sim.cli.errors import run_app

if __name__ == "__main__":
    run_app(main)
