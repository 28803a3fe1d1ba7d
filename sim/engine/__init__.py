"""The discrete-event engine: server pools, channels, the customer journey, one replication.

``Model(scenario, run, replication)`` builds a SimPy environment with a ``ChannelState``
per channel (``channels``), streamed statistics (``metrics``) and one ``journey`` process
per customer; ``Model.run()`` advances it to the horizon.  Everything above this layer
(experiments, months, calibration, the optimiser's check) drives the engine through
``sim.experiment``.
"""
