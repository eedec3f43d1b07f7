"""The test settings' PostgreSQL backend: Django's own, with a flush that deletes rows instead of truncating.

A transactional test (the live server, browsers, Celery workers, threads) ends with Django's flush of
every table. TRUNCATE of the ~180 tables gives each table and index a new file and drops the old ones
from PostgreSQL's buffers, which costs seconds per test however little the test wrote; DELETE of the
few rows a test left behind costs milliseconds. The result is the same: every table empty, the
sequences where they were (flush does not reset them unless asked to, and then it truncates as before).
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Every foreign key Django creates on PostgreSQL is DEFERRABLE INITIALLY DEFERRED: the rows of
        # all tables are gone by the time the constraints are checked, at the end of flush's transaction.
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
