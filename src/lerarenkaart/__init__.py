"""Build, render and index the yearly Lerarenkaart reports.

The runner handles the folder layout and papermill, and computes no figure itself: every
number comes from the notebooks, which call ``helpers``.
"""
