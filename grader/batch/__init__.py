"""Grading a whole class: batches, shards and their merge, the gradebook, the class summary,
and Gradescope's results format.

``run_batch`` grades a folder of submissions in parallel, each in a process of its own
(``runner``, ``child``), writing each one's files atomically as soon as it is graded
(``store``); ``merge_outputs`` joins shard outputs; ``gradebook`` and ``summary`` render the
class files; ``gradescope`` renders Gradescope's format and ``autograder`` runs inside
Gradescope's layout.
"""

from __future__ import annotations

from grader.batch.autograder import run_gradescope
from grader.batch.discover import BatchError, Shard, parse_shard
from grader.batch.merge import merge_outputs
from grader.batch.run import run_batch

__all__ = ["BatchError", "Shard", "merge_outputs", "parse_shard", "run_batch", "run_gradescope"]
