"""``python -m sim.compare``: a scenario against a contact log (``sim/cli/compare.py``)."""

from sim.cli.compare import main
from sim.cli.errors import run_app

if __name__ == "__main__":
    run_app(main)
