"""The models' tables, typed as ``Table`` for SQLAlchemy Core statements (the hot paths)."""

from __future__ import annotations

from sqlalchemy import Table

from cbt_server.db import schema


def _table(model: type[schema.Base]) -> Table:
    table = model.__table__
    if not isinstance(table, Table):  # always a Table for declarative models
        raise TypeError(model)
    return table


sites = _table(schema.Site)
rooms = _table(schema.Room)
staff_users = _table(schema.StaffUser)
staff_tokens = _table(schema.StaffToken)
candidates = _table(schema.Candidate)
banks = _table(schema.Bank)
exams = _table(schema.Exam)
exam_sessions = _table(schema.ExamSession)
session_proctors = _table(schema.SessionProctor)
registrations = _table(schema.Registration)
attempts = _table(schema.Attempt)
responses = _table(schema.Response)
scores = _table(schema.ScoreRecord)
annulments = _table(schema.Annulment)
incidents = _table(schema.Incident)
station_commands = _table(schema.StationCommand)
complaints = _table(schema.Complaint)
audit_log = _table(schema.AuditEntry)
audit_head = _table(schema.AuditHead)
imported_results = _table(schema.ImportedResult)

#: An attempt with its registration, session and candidate: who sits which attempt where.
#: ``select(...).select_from(attempt_people)`` spares every caller the three joins.
attempt_people = (
    attempts.join(registrations, registrations.c.id == attempts.c.registration_id)
    .join(exam_sessions, exam_sessions.c.id == registrations.c.session_id)
    .join(candidates, candidates.c.id == registrations.c.candidate_id)
)
