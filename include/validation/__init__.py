"""Row-level validation with Great Expectations: suites in expectations/, reason codes, Data Docs.

Public API: validate_rows, RowValidation (runner), birth_date_window_reasons (checks),
quarantine_share_exceeded (file_rules). Great Expectations itself is imported on first use only.
"""

from include.validation.checks import birth_date_window_reasons
from include.validation.file_rules import quarantine_share_exceeded
from include.validation.runner import RowValidation, validate_rows

__all__ = ["RowValidation", "birth_date_window_reasons", "quarantine_share_exceeded", "validate_rows"]
