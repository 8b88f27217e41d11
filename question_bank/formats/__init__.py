"""Authoring formats: importers and the QTI exporter.

:func:`import_files` reads spreadsheets (CSV, XLSX), Moodle XML, GIFT and
QTI 2.1 (single items or content packages) into one bank source;
:func:`export_qti` writes a bank source as a QTI 2.1 content package;
:func:`write_template` writes the spreadsheet template. The formats, their
columns and what is refused are in docs/import-formats.md.

Errors come from :mod:`question_bank.errors`: ``SourceError`` (a file that
cannot be read), ``UnsupportedConstructError`` (a construct refused by name;
collected as a problem when it concerns one item) and ``ValidationError``
(every problem of every file, raised together).
"""

from question_bank.formats.importer import import_files
from question_bank.formats.qti import export_qti
from question_bank.formats.spreadsheet import write_template

__all__ = ["export_qti", "import_files", "write_template"]
