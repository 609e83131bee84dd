"""nnviz: see a neural network learn.

Importing nnviz (and anything under nnviz.core or nnviz.data) never imports Qt, so the maths
and the headless command line work on machines without a display.
"""

__version__ = "0.1.0"
