"""Spark session creation and the small bits of JVM access the grader needs."""
