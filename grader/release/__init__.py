"""The student release: the repository template students get, and its CI workflow.

``build.build_release`` writes it, ``leaks`` derives what must never be in it and scans for
it, ``ci_reports`` renders the workflow's reports, and ``template/`` holds the files
written as they are (README, workflow, ``.gitignore``, ``pyproject.toml``).
"""
