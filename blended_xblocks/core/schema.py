"""The small schema every JSON handler checks its body against (docs/api.md)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from blended_xblocks.core.errors import N_, BadRequest


class Field:
    """One key of a JSON body. Subclasses check and convert a value."""

    def __init__(self, required=True, default=None, nullable=False):
        self.required = required and default is None
        self.default = default
        self.nullable = nullable

    def clean(self, name, value):
        raise NotImplementedError

    @staticmethod
    def invalid(name, message):
        """`message` is one of the marked msgids below, e.g. N_("“{field}” must be text.")."""
        return BadRequest("invalid_field", message, field=name)


class Str(Field):
    """Text, stripped, within lengths; refuses NUL and what a database column cannot store."""

    def __init__(self, max_length=1000, min_length=0, pattern=None, strip=True, **kwargs):
        super().__init__(**kwargs)
        self.max_length, self.min_length = max_length, min_length
        self.pattern = re.compile(pattern) if pattern else None
        self.strip = strip

    def clean(self, name, value):
        if not isinstance(value, str):
            raise self.invalid(name, N_("“{field}” must be text."))
        if self.strip:
            value = value.strip()
        if "\x00" in value or not _encodable(value):
            raise self.invalid(name, N_("“{field}” must be text."))
        if len(value) > self.max_length:
            raise BadRequest("too_long", N_("“{field}” is longer than {max} characters."),
                             field=name, max=self.max_length)
        if len(value) < self.min_length:
            raise BadRequest("required", N_("“{field}” is required."), field=name)
        if self.pattern and not self.pattern.fullmatch(value):
            raise self.invalid(name, N_("“{field}” is not in the expected format."))
        return value


def _encodable(text: str) -> bool:
    r"""JSON can carry lone UTF-16 surrogates (\ud800) that no database column can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Email(Str):
    """An e-mail address Django accepts, so mail to it can be sent."""

    PATTERN = r"[^@\s<>,;\"'\r\n]+@[^@\s<>,;\"'\r\n]+\.[^@\s<>,;\"'\r\n]+"

    def __init__(self, **kwargs):
        super().__init__(max_length=254, min_length=3, pattern=self.PATTERN, **kwargs)

    def clean(self, name, value):
        """Django's own address rules too: the mail backend must send to exactly this address (a
        comment such as `amina(x)@…` would otherwise be stripped on sending, and reach someone else).
        A value that is not text at all is a wrong type (`invalid_field`), as for every field."""
        if not isinstance(value, str):
            raise self.invalid(name, N_("“{field}” must be text."))
        try:
            value = super().clean(name, value)
            if value is not None:
                validate_email(value)
            return value
        except (BadRequest, ValidationError) as error:
            raise BadRequest("invalid_email", N_("Enter a valid e-mail address."), field=name) from error


SAFE_INTEGER = 2**53 - 1  # beyond this, JavaScript clients lose precision and database columns overflow


class Int(Field):
    """A whole number within bounds (JSON's true/false is not a number here)."""

    def __init__(self, minimum=-SAFE_INTEGER, maximum=SAFE_INTEGER, **kwargs):
        super().__init__(**kwargs)
        self.minimum = -SAFE_INTEGER if minimum is None else minimum
        self.maximum = SAFE_INTEGER if maximum is None else maximum

    def clean(self, name, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.invalid(name, N_("“{field}” must be a whole number."))
        if not self.minimum <= value <= self.maximum:
            raise BadRequest("out_of_range", N_("“{field}” must be between {min} and {max}."),
                             field=name, min=self.minimum, max=self.maximum)
        return value


class Number(Field):
    """A JSON number (not a boolean) within [minimum, maximum]."""

    def __init__(self, minimum, maximum, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def clean(self, name, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise self.invalid(name, N_("“{field}” must be a number."))
        if not self.minimum <= value <= self.maximum:
            raise BadRequest("out_of_range", N_("“{field}” must be between {min} and {max}."),
                             field=name, min=self.minimum, max=self.maximum)
        return round(float(value), 2)


class Bool(Field):
    """true or false, never a truthy string."""

    def clean(self, name, value):
        if not isinstance(value, bool):
            raise self.invalid(name, N_("“{field}” must be true or false."))
        return value


class Choice(Field):
    """One of a fixed set of values."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = tuple(choices)

    def clean(self, name, value):
        if not isinstance(value, str) or value not in self.choices:
            raise BadRequest("invalid_choice", N_("“{field}” must be one of: {choices}."),
                             field=name, choices=", ".join(self.choices))
        return value


class ListOf(Field):
    """A bounded list whose items each pass one field."""

    def __init__(self, item: Field, max_items=1000, **kwargs):
        super().__init__(**kwargs)
        self.item, self.max_items = item, max_items

    def clean(self, name, value):
        if not isinstance(value, list):
            raise self.invalid(name, N_("“{field}” must be a list."))
        if len(value) > self.max_items:
            raise BadRequest("too_many", N_("“{field}” has more than {max} items."), field=name,
                             max=self.max_items)
        return [self.item.clean(f"{name}[{index}]", entry) for index, entry in enumerate(value)]


class Obj(Field):
    """A nested object with its own schema (its errors name the dotted field)."""

    def __init__(self, schema: dict, **kwargs):
        super().__init__(**kwargs)
        self.schema = schema

    def clean(self, name, value):
        return validate(self.schema, value, prefix=f"{name}.")


def validate(schema: dict, data, prefix=""):
    """Check `data` against `schema`; unknown keys are refused so that typos never pass silently."""
    if not isinstance(data, dict):
        raise BadRequest("invalid_json", N_("The request body must be a JSON object."))
    unknown = sorted(set(data) - set(schema))
    if unknown:
        raise BadRequest("unknown_field", N_("Unknown field “{field}”."), field=prefix + unknown[0])
    cleaned = {}
    for key, field in schema.items():
        if key not in data:
            if field.required:
                raise BadRequest("required", N_("“{field}” is required."), field=prefix + key)
            cleaned[key] = field.default
        elif data[key] is None and (field.nullable or not field.required):
            cleaned[key] = field.default
        else:
            cleaned[key] = field.clean(prefix + key, data[key])
    return cleaned


def pagination(page_size: int = 50) -> dict:
    """The one page request (docs/api.md): the same bounds for every list; only the default size
    differs where a handler documents it (20 posts of a board)."""
    return {"page": Int(minimum=1, maximum=1_000_000, default=1),
            "page_size": Int(minimum=1, maximum=200, default=page_size)}


PAGINATION = pagination()


class Unchecked(Field):
    """A value its handler ignores (Studio's `defaults`)."""

    def clean(self, name, value):
        return value


class AnyObject(Field):
    """An object its handler checks key by key (a Studio editor's `values`)."""

    def clean(self, name, value):
        if not isinstance(value, dict):
            raise self.invalid(name, N_("“{field}” must be an object."))
        return value


# The body of XBlock's Studio editor protocol (`submit_studio_edits`) for our own editors: the
# `values` each block's studio.py checks, and `defaults` (fields to reset), which they do not use.
STUDIO_EDITS = {"values": AnyObject(), "defaults": ListOf(Unchecked(), required=False, default=[])}
