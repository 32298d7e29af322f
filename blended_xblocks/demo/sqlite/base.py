"""Django's SQLite backend, with what Django 5.1+ configures through OPTIONS (settings.py):
write-ahead journal and transactions that take the write lock when they begin.

A deferred transaction (SQLite's default) that reads and then writes cannot wait for another
writer: SQLite answers `database is locked` at once, whatever the busy timeout. With
`BEGIN IMMEDIATE` a transaction waits at its start for the lock (`timeout`), and with WAL readers
never wait. The demo's threaded server sends a page's handler calls at the same moment.
"""
from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.execute("PRAGMA journal_mode=WAL")
        return connection

    def _start_transaction_under_autocommit(self):
        self.cursor().execute("BEGIN IMMEDIATE")
