"""The exercise contract: blanks, modules and the shapes the grader relies on."""
