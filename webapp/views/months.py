"""Page: months (coming next)."""

import streamlit as st

st.title("months")
st.info("This page is not built yet.")
