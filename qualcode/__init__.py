"""qualcode: a command-line workbench for reflexive thematic analysis."""

__version__ = "0.1.0"
