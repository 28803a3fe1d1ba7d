"""Where the shipped configs live: ``conf/`` at the top of a source checkout (the layout users
edit), ``sim/conf/`` inside an installed wheel (pyproject.toml ships the same files there)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def conf_dir() -> Path:
    """The folder holding config.yaml, optimize.yaml, calibrate.yaml, scenario/ and run/."""
    checkout = _PACKAGE.parent / "conf"
    if (checkout / "config.yaml").is_file():
        return checkout
    return _PACKAGE / "conf"


CONF_DIR = str(conf_dir())
