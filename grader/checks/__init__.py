"""The checks: the rubric that lists them, the probe requests they send, the judge."""
