"""The optimiser: allocate promotion, staff and kiosks, then check the plan by simulation."""
