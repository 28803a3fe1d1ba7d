"""The tests: one module per module of sim/ and optimize/, helpers in conftest.py."""
