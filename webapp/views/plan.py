"""Page: plan (coming next)."""

import streamlit as st

st.title("plan")
st.info("This page is not built yet.")
