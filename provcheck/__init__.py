"""provcheck: is this text a reprint or a machine-rewritten copy of an original, and what changed?

>>> from provcheck import compare
>>> report = compare("corpus/001_f774ca4a0bf60419.txt", "corpus/000_4220fd22daa105e4.txt")
>>> report.relation.value, round(report.score, 1) > 0.5
('rewritten', True)
"""

import logging

from .api import Provcheck, Settings, compare
from .errors import ConfigError, InputError, ProvcheckError, StoreError
from .index import Index
from .model import Document, Finding, FindingType, Relation, Report, Span
from .report import report_to_dict, report_to_json

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Document",
    "Finding",
    "FindingType",
    "Index",
    "InputError",
    "Provcheck",
    "ProvcheckError",
    "Relation",
    "Report",
    "Settings",
    "Span",
    "StoreError",
    "__version__",
    "compare",
    "report_to_dict",
    "report_to_json",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
