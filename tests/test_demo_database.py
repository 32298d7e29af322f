"""The demo's SQLite lets a page's simultaneous handler calls wait for each other (issue 8).

A transaction that reads and then writes must take SQLite's write lock when it begins, or a
second writer gets `database is locked` at once instead of waiting; readers must not wait (WAL).
"""
import sqlite3

import pytest
from django.db import connection, connections, transaction
from django.db.backends.signals import connection_created

from blended_xblocks.demo.models import SentMail
from blended_xblocks.demo.sqlite import wait_for_writers


def assert_waits_for_writers(alias_connection, path):
    """Inside a transaction that has only read, another writer is already kept out."""
    with alias_connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with transaction.atomic(using=alias_connection.alias):
            with alias_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_the_demo_database_begins_transactions_immediately_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite settings of the demo")
    SentMail.objects.count()  # opens the connection
    assert_waits_for_writers(connection, connection.settings_dict["NAME"])


def test_django_before_5_1_gets_the_same_from_the_connection_signal(tmp_path, django_db_blocker, monkeypatch):
    """Without Django 5.1's `transaction_mode` option, the demo app's `connection_created` receiver."""
    path = str(tmp_path / "demo.db")
    alias = "demo_sqlite_before_5_1"
    configured = connections.configure_settings({
        "default": connections.settings["default"],
        alias: {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": {"timeout": 0}}})
    monkeypatch.setitem(connections.settings, alias, configured[alias])
    connection_created.connect(wait_for_writers, dispatch_uid="test_demo_sqlite")
    with django_db_blocker.unblock():
        demo = connections[alias]
        try:
            demo.ensure_connection()
            assert_waits_for_writers(demo, path)
        finally:
            connection_created.disconnect(dispatch_uid="test_demo_sqlite")
            demo.close()
            del connections[alias]
