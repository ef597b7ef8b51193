"""Feedback text: stable message codes with templates, and hints in the lecture's terms."""
