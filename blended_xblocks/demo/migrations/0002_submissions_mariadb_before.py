"""Work around edx-submissions 4.0 on MariaDB (demo and tests only; Open edX runs MySQL 8).

Its migration 0006 alters `uuid` columns of `submissions_studentitem` and `submissions_score`, which no migration creates, so it
fails on MariaDB. We add placeholder columns just before 0006 and drop it right after (0003).
"""
from django.db import migrations

from blended_xblocks.demo.mariadb import is_mariadb


def add_placeholder(apps, schema_editor):
    if is_mariadb(schema_editor.connection):
        for table in ("submissions_studentitem", "submissions_score"):
            schema_editor.execute(f"ALTER TABLE {table} ADD COLUMN uuid char(32) NULL")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("blended_xblocks_demo", "0001_initial"),
        ("submissions", "0005_submissionfile"),
        ("submissions", "0005_CreateTeamModel"),
    ]
    run_before = [("submissions", "0006_mariadb_uuid_conversion")]
    operations = [migrations.RunPython(add_placeholder, migrations.RunPython.noop)]
