"""The committed migrations match the models, and apply forwards and backwards."""
from io import StringIO

import pytest
from django.core.management import call_command


def test_models_and_migrations_agree(db):
    out = StringIO()
    call_command("makemigrations", "blended_xblocks", "blended_xblocks_demo", check=True, dry_run=True, stdout=out)


@pytest.mark.django_db(transaction=True)
def test_migrations_unapply_and_reapply():
    call_command("migrate", "blended_xblocks", "zero", verbosity=0)
    call_command("migrate", "blended_xblocks", verbosity=0)
