"""The command lines: Hydra apps (``app``, ``calibrate``), config composition (``config``),
multirun jobs and their table (``sweep``, ``sweep_table``, ``sweep_plots``, ``callbacks``)
and one-line errors (``errors``).  Hydra and OmegaConf are imported only in this package
and in ``optimize/cli.py``; everything below takes plain dataclasses."""
