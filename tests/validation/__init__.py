"""Validation against queueing theory: the simulation agrees with Erlang C, Erlang A and Little's law."""
