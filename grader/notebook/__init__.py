"""The student notebook: built from the stubs in ``exercises/``, read back when graded.

``content`` holds the lecture's text and cells, ``build`` assembles and writes the
notebook, ``cells`` reads a submitted notebook's code cells, and ``extract`` turns the
answers found in them into the modules the grader loads.
"""
