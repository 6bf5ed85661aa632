"""Grouping copies in bulk: candidates, evidence, union-find, naming originals; local and Spark engines."""
