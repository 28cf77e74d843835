"""stratctl: an NHS trust's strategy, objectives and Board Assurance Framework as code."""

__version__ = "0.1.0"
