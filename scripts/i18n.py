"""Extract, update and compile the package's translation catalogues (one gettext domain per block).

    python scripts/i18n.py extract [domain]  # update translations/<lang>/LC_MESSAGES/<domain>.po from the code
    python scripts/i18n.py compile [domain]  # write the .mo files next to them (and text.mo, see below)
    python scripts/i18n.py check     # exit 1 if a catalogue is incomplete or a .mo is stale
    python scripts/i18n.py fill ar webinar ar.json   # set translations from {msgid: text or [plural forms]}

A file belongs to the domain named by its block: `blended_xblocks/<domain>.py`,
`blended_xblocks/<domain>_*.py`, `templates/blended_xblocks/<domain>/`, `static/<domain>/`;
everything else is `common`. Python marks strings with `_()`, `N_()`, `gettext()`,
`ngettext()`; templates with `{% t "..." %}`; JavaScript with `gettext('...')`.

`compile` also writes `translations/<lang>/LC_MESSAGES/text.mo`: every domain's translations in
one catalogue (the first domain in PLATFORM_ORDER that translates a msgid wins), because the platform's
i18n service (Studio's default editor translating field labels and help) reads only
`<package>/translations/<lang>/LC_MESSAGES/text.mo`. It has no .po of its own: edit the domains.
"""
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("ar", "fr", "es")
DOMAINS = ("common", "webinar", "group_assignment", "supervisor_agreement", "experience_sharing", "progress",
           "application")
PLATFORM_DOMAIN = "text"  # what the platform's XBlockI18nService looks up in the package
# Where domains translate one msgid differently ("Display name", "Weight"), the first one here wins in
# text.mo: the blocks that use Studio's default editor come first (the webinar has its own editor).
PLATFORM_ORDER = ("common", "group_assignment", "supervisor_agreement", "experience_sharing", "progress", "webinar",
                  "application")
PY_KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
TEMPLATE_STRING = re.compile(r"""\{%\s*t\s+(["'])(.+?)\1""")


def extract_template(fileobj, keywords, comment_tags, options):
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), 1):
        for match in TEMPLATE_STRING.finditer(line):
            yield number, "gettext", match.group(2), []


def domain_of(path: Path) -> str:
    relative = path.relative_to(ROOT).parts
    if relative[0] == "static" or relative[:2] == ("blended_xblocks", "templates"):
        candidate = relative[1] if relative[0] == "static" else relative[3] if len(relative) > 3 else ""
    elif len(relative) > 2 and relative[0] == "blended_xblocks" and relative[1] in DOMAINS:
        candidate = relative[1]  # a block's own subpackage, e.g. blended_xblocks/progress/
    else:
        candidate = path.stem
    for domain in DOMAINS:
        if candidate == domain or candidate.startswith(domain + "_"):
            return domain
    return "common"


def source_files():
    package = ROOT / "blended_xblocks"
    for path in sorted(package.rglob("*.py")):
        inside = path.relative_to(package).parts  # not path.parts: a checkout may sit in a folder called "demo"
        if "migrations" in inside or "demo" in inside:
            continue
        yield path, "python"
    for path in sorted((package / "templates").rglob("*.html")):
        yield path, "template"
    for path in sorted((ROOT / "static").rglob("*.js")):
        yield path, "javascript"


def extract_all():
    """{domain: Catalog} of every marked string in the code."""
    catalogs = {domain: Catalog(domain=domain) for domain in DOMAINS}
    for path, method in source_files():
        method_fn = extract_template if method == "template" else method
        keywords = PY_KEYWORDS if method == "python" else {"gettext": None}
        with path.open("rb") as fileobj:
            for line, message, comments, context in extract(method_fn, fileobj, keywords=keywords):
                catalogs[domain_of(path)].add(message, locations=[(str(path.relative_to(ROOT)), line)],
                                              auto_comments=comments, context=context)
    return catalogs


def po_path(language, domain):
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po"


def load(path, language):
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def cmd_extract(only=None):
    for domain, template in extract_all().items():
        if only and domain != only:
            continue
        for language in LANGUAGES:
            path = po_path(language, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = load(path, language) if path.exists() else Catalog(locale=language, domain=domain)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    print("catalogues updated in", TRANSLATIONS)


def compiled(catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def platform_catalogue(language):
    """Every domain's translated entries for `language` in one catalogue (see the module docstring)."""
    merged = None
    for domain in PLATFORM_ORDER:
        path = po_path(language, domain)
        if not path.exists():
            continue
        catalog = load(path, language)
        if merged is None:
            merged = Catalog(locale=language, domain=PLATFORM_DOMAIN, header_comment=catalog.header_comment)
            merged.mime_headers = catalog.mime_headers
        for message in catalog:
            translated = message.id and not message.fuzzy and (
                all(message.string) if isinstance(message.string, tuple) else message.string)
            if translated and merged.get(message.id) is None:
                merged.add(message.id, message.string)
    return merged


def platform_mo_path(language):
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{PLATFORM_DOMAIN}.mo"


def cmd_compile(only=None):
    for path in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{only or '*'}.po")):
        path.with_suffix(".mo").write_bytes(compiled(load(path, path.parts[-3])))
    for language in LANGUAGES:
        merged = platform_catalogue(language)
        if merged is not None:
            platform_mo_path(language).write_bytes(compiled(merged))
    print("catalogues compiled")


def _hashable(value):
    """Plural entries come back from a .mo as lists and from a .po as tuples."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def problems():
    """Untranslated or fuzzy entries, msgids missing from a catalogue, stale .mo files."""
    found = []
    templates = extract_all()
    for domain, template in templates.items():
        for language in LANGUAGES:
            path = po_path(language, domain)
            if not len(template):
                continue
            if not path.exists():
                found.append(f"{path}: missing")
                continue
            catalog = load(path, language)
            for message in template:
                if not message.id:
                    continue
                entry = catalog.get(message.id)
                if entry is None:
                    found.append(f"{path}: not extracted: {message.id!r}")
                elif entry.fuzzy or not (all(entry.string) if isinstance(entry.string, tuple) else entry.string):
                    found.append(f"{path}: untranslated: {message.id!r}")
            mo = path.with_suffix(".mo")
            if not mo.exists():
                found.append(f"{mo}: missing (run `make compilemessages`)")
            else:
                with mo.open("rb") as handle:
                    on_disk = {_hashable(m.id): _hashable(m.string) for m in read_mo(handle) if m.id}
                expected = {_hashable(m.id): _hashable(m.string) for m in catalog if m.id and not m.fuzzy and m.string}
                if on_disk != expected:
                    found.append(f"{mo}: stale (run `make compilemessages`)")
    for language in LANGUAGES:
        merged, mo = platform_catalogue(language), platform_mo_path(language)
        if merged is None:
            continue
        if not mo.exists():
            found.append(f"{mo}: missing (run `make compilemessages`)")
            continue
        with mo.open("rb") as handle:
            on_disk = {_hashable(m.id): _hashable(m.string) for m in read_mo(handle) if m.id}
        if on_disk != {_hashable(m.id): _hashable(m.string) for m in merged if m.id}:
            found.append(f"{mo}: stale (run `make compilemessages`)")
    return found


def cmd_fill(language, domain, json_file):
    import json

    path = po_path(language, domain)
    catalog = load(path, language)
    translations = json.loads(Path(json_file).read_text(encoding="utf-8"))
    unknown = [msgid for msgid in translations if catalog.get(msgid) is None]
    for msgid, text in translations.items():
        entry = catalog.get(msgid)
        if entry is not None:
            entry.string = tuple(text) if isinstance(text, list) else text
            entry.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    if unknown:
        print("not in the catalogue (run extract first?):", *unknown, sep="\n  ")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        cmd_extract(sys.argv[2] if len(sys.argv) > 2 else None)
    elif command == "fill":
        cmd_fill(*sys.argv[2:5])
    elif command == "compile":
        cmd_compile(sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        issues = problems()
        print("\n".join(issues) or "translations complete")
        sys.exit(1 if issues else 0)
