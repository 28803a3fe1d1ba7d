"""Fitting a scenario to operational data: a contact log read by ``sim.logs`` becomes a
runnable Scenario of one contact centre (``assemble``), with every fitted parameter, its
confidence interval and the log's data quality reported alongside."""
