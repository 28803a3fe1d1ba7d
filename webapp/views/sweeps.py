"""Page: sweeps (coming next)."""

import streamlit as st

st.title("sweeps")
st.info("This page is not built yet.")
