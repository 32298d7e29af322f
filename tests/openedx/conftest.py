"""The `openedx` fixture: a course in an Open edX host, with the LMS adapter configured."""
import sys
import types

import pytest

from tests.openedx.host import OpenEdxHost


class BlockCompletionStandIn:
    """edx-completion's model API (`BlockCompletion.objects.submit_completion`), which the adapter
    uses where the LMS gives no completion service: workers, commands, no-login requests."""

    def __init__(self, host):
        self.host = host
        self.objects = self

    def submit_completion(self, user, block_key, completion):
        self.host.completions[(user.id, str(block_key))] = completion


@pytest.fixture
def openedx(db, settings, monkeypatch):
    """A fresh course; blocks talk to it through `OpenEdxPlatform`, the adapter the LMS uses."""
    settings.BLENDED_XBLOCKS_PLATFORM = "blended_xblocks.platform.adapter.OpenEdxPlatform"
    settings.BLENDED_XBLOCKS_OUTCOME_READER = "blended_xblocks.platform.adapter.OpenEdxOutcomeReader"
    host = OpenEdxHost()
    package = types.ModuleType("completion")
    package.models = types.SimpleNamespace(BlockCompletion=BlockCompletionStandIn(host))
    monkeypatch.setitem(sys.modules, "completion", package)
    monkeypatch.setitem(sys.modules, "completion.models", package.models)
    return host
