"""The command line: parse arguments -> call the library -> render -> exit code.

Exit codes: 0 success, 1 a gate failed, 2 bad usage or unreadable input (one line on stderr).
Each command module registers its commands on :data:`provcheck.cli.common.app`; they are imported
here, explicitly.
"""

from __future__ import annotations

from provcheck.cli import archive, cluster, compare, serve
from provcheck.cli.common import app

__all__ = ["app", "main"]

_COMMANDS = (archive, cluster, compare, serve)  # imported for their registrations


def main() -> None:
    app()
