"""What a handler answered, in the demo workbench (harness.py) and in the Open edX host (openedx/)
alike. Nothing here imports the demo: the wheel test runs the Open edX host without it."""
import json
from dataclasses import dataclass


@dataclass
class Result:
    status: int
    body: bytes
    headers: dict

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def error_code(self):
        return self.json["error"]["code"]
