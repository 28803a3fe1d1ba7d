"""The year plan (``optimize.objective=year_plan``): the cheapest month-by-month campaign
calendar that reaches year-end channel targets, planned on a model of the months mode and
checked by simulating it (``optimize.year.plan``)."""
