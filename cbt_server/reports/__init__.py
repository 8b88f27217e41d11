"""PDF reports of a session: result slips, feedback, minutes, rankings, item analysis.

``ReportService(runtime).render(kind, session, options)`` returns the PDF's
bytes; the proctor API and ``cbt-server report`` both call it. One module per
document (``slip``, ``feedback``, ``minutes``, ``ranking``, ``item_analysis``);
``layout`` and ``fonts`` are shared by all of them.
"""

from cbt_server.reports.service import ReportKind, ReportOptions, ReportService

__all__ = ["ReportKind", "ReportOptions", "ReportService"]
