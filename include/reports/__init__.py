"""The monthly report files (CONTRACTS.md "Reports"): include.reports.writer.write_reports writes all eight."""
