"""Months mode: a population of customers whose channel habits learn month by month.

``run_months(scenario, run)`` simulates ``run.months`` months, each a set of simulated
days (``model``), from a customer table or the scenario's segments (``customer_table``);
``results`` and ``outputs`` turn a ``MonthsResult`` into tables, files and a plot.
"""
