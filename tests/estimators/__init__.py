"""Tests of sim.estimators: the statistics that turn a contact log into a scenario.

Statistical tests use fixed seeds and ask for agreement within Z = 4 reported standard
errors (or intervals at ``level_for_z(4)`` = 99.994%), and each also checks that the
standard error is small against the value, so a test cannot pass by reporting a huge one.
"""
