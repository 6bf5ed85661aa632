"""The archive index: fingerprints, the SQLite store, candidate search and verified find/check."""
