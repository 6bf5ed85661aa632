"""Comparing one pair: align the suspect to the source, diagnose every change, score and gate."""
