"""Tools for the course's authors: stub generation and the student notebook."""
