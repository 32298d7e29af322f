"""The demo's SQLite backend for Django before 5.1 (see `base.py`)."""
