"""Drop the placeholder column added by 0002 once edx-submissions' 0006 has run."""
from django.db import migrations

from blended_xblocks.demo.mariadb import is_mariadb



def drop_placeholder(apps, schema_editor):
    if is_mariadb(schema_editor.connection):
        for table in ("submissions_studentitem", "submissions_score"):
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN uuid")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("blended_xblocks_demo", "0002_submissions_mariadb_before"),
        ("submissions", "0006_mariadb_uuid_conversion"),
    ]
    operations = [migrations.RunPython(drop_placeholder, migrations.RunPython.noop)]
