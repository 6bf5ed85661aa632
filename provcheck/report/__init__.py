"""Render finished reports; never compute. ``jsonout`` (the contract), ``terminal`` (rich),
``htmlpage`` (self-contained HTML)."""

from provcheck.report.jsonout import report_to_dict, report_to_json

__all__ = ["report_to_dict", "report_to_json"]
