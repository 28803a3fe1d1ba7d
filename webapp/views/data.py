"""Page: data (coming next)."""

import streamlit as st

st.title("data")
st.info("This page is not built yet.")
