"""Tests of sim.fitting."""
