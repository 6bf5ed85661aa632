"""Imports the command modules of the other paths so they register on the app."""

import importlib

for _name in ("cli_index", "cli_cluster", "cli_serve"):
    try:
        importlib.import_module(f"provcheck.{_name}")
    except ModuleNotFoundError as _exc:  # a path not built yet
        if _exc.name != f"provcheck.{_name}":
            raise
