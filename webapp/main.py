"""The app's entry point: ``streamlit run webapp/main.py`` (``make app``)."""

import streamlit as st

from webapp import APP_DIR

st.set_page_config(page_title="Channel strategy", layout="wide")
pages = [st.Page(str(APP_DIR / "views" / f"{name}.py"), title=title, url_path=name)
         for name, title in (("what_if", "What if"), ("plan", "Plan"), ("data", "Data"),
                             ("months", "Months"), ("sweeps", "Sweeps"))]
st.navigation(pages).run()
