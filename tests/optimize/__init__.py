"""Tests of the optimiser: hand-solved and brute-forced instances, settings, the command line."""
