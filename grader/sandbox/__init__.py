"""Student code runs here, in a separate process with its own Spark session.

The sandbox receives inputs and returns outputs; it never sees expected outputs
or reference solutions, and the verdicts are computed by the parent.
"""
