"""``python -m webapp``: start the app (Streamlit) on http://localhost:8501; extra
arguments go to ``streamlit run`` (e.g. ``--server.port 8600``)."""

import sys

from streamlit.web import cli

from webapp import MAIN, PORT


def main() -> None:
    """Run ``streamlit run <webapp/main.py>`` headless on PORT, with the caller's options."""
    sys.argv = ["streamlit", "run", str(MAIN), "--server.port", str(PORT),
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
                *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
