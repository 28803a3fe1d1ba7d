"""The planners' web app (``make app``: Streamlit on http://localhost:8501).

Pages (``webapp/views/``; not ``pages/``, which Streamlit would list on its own): What if,
Plan, Data, Months, Sweeps.  The app calls the Python API (``sim``, ``optimize``), never
the command line.  What it computes is in plain modules beside the pages, with no
Streamlit in them: ``levers`` (a scenario's levers and the overrides they make),
``paired`` (what-if minus baseline with paired confidence intervals), ``whatif`` (the
study behind page 1), ``jobs`` (long work off the page's thread, with progress, cancel and
a cache by config hash) and ``downloads`` (tidy tables as a CSV zip and an XLSX
workbook).  ``ui`` holds the Streamlit pieces the pages share.
"""

from pathlib import Path

APP_DIR = Path(__file__).resolve().parent
MAIN = APP_DIR / "main.py"  # what `streamlit run` starts
PORT = 8501
