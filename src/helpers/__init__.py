"""Analysis helpers for the Lerarenkaart reports.

The modules take and return pandas data frames and know nothing of Jupyter, papermill
or the layout of ``reports/``, so they are tested without a kernel.
"""
