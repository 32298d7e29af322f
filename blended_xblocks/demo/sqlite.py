"""The demo's SQLite waits for a lock instead of failing with `database is locked`.

A page's blocks ask for their state at the same moment, on a threaded server. A deferred
transaction (SQLite's default) that reads and then writes cannot wait for another writer: SQLite
answers `database is locked` at once, whatever the busy timeout. So transactions begin with
`BEGIN IMMEDIATE` (they wait, up to the `timeout` option, for the write lock when they start) and
the journal is write-ahead (readers never wait). Django 5.1+ does both through the database
OPTIONS (settings.py); on Django 4.2 the demo app connects `wait_for_writers` to
`connection_created` (apps.py).
"""
import types

JOURNAL = "PRAGMA journal_mode=WAL"


def _begin_immediate(connection):
    connection.cursor().execute("BEGIN IMMEDIATE")


def wait_for_writers(sender, connection, **kwargs):
    """`connection_created` receiver for Django before 5.1 (which has no `transaction_mode`)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.execute(JOURNAL)
    connection._start_transaction_under_autocommit = types.MethodType(_begin_immediate, connection)
