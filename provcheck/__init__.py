"""provcheck: is this text a reprint or a machine-rewritten copy of an original, and what changed?

>>> from provcheck import compare
>>> report = compare("corpus/001_f774ca4a0bf60419.txt", "corpus/000_4220fd22daa105e4.txt")
>>> report.relation.value, round(report.score, 1) > 0.5
('rewritten', True)
"""

import logging

from provcheck.api import (
    Settings,
    check,
    cluster,
    compare,
    find,
    open_archive,
    open_index,
    trace,
    write_cluster_report,
)
from provcheck.archive.index import Index
from provcheck.archive.search import Archive, CheckResult, FindResult, Match
from provcheck.archive.trace import Trace, TracedPassage, TracedSource
from provcheck.clustering.result import Clustering, Group, Link, Member
from provcheck.errors import ConfigError, InputError, ProvcheckError, StoreError
from provcheck.model import Document, Finding, FindingType, Relation, Report, Span
from provcheck.pair.comparer import Provcheck
from provcheck.report import report_to_dict, report_to_json

__version__ = "0.2.0"

__all__ = [
    "Archive",
    "CheckResult",
    "Clustering",
    "ConfigError",
    "Document",
    "FindResult",
    "Finding",
    "FindingType",
    "Group",
    "Index",
    "InputError",
    "Link",
    "Match",
    "Member",
    "Provcheck",
    "ProvcheckError",
    "Relation",
    "Report",
    "Settings",
    "Span",
    "StoreError",
    "Trace",
    "TracedPassage",
    "TracedSource",
    "__version__",
    "check",
    "cluster",
    "compare",
    "find",
    "open_archive",
    "open_index",
    "report_to_dict",
    "report_to_json",
    "trace",
    "write_cluster_report",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
