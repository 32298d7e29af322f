"""Nothing claims that an upload is refused before its body is parsed (issue 8, fix 9).

In the LMS, Django parses the whole multipart body, and `_check_files_limits` answers 413 above
`STUDENT_FILEUPLOAD_MAX_SIZE`, before any block code runs: a block's Content-Length check gives a
clear error but saves the server nothing. Comments and docs must say so.
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FALSE_CLAIMS = re.compile(
    r"before (the (body|form) is (parsed|read)|it is read)|without holding it in memory"
    r"|\(and held(?: in memory)?\) at all", re.IGNORECASE)


def test_no_comment_or_doc_claims_uploads_are_refused_before_parsing():
    files = [*ROOT.joinpath("blended_xblocks").rglob("*.py"), *ROOT.joinpath("docs").rglob("*.md"), ROOT / "README.md"]
    claims = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in files
              for match in FALSE_CLAIMS.finditer(" ".join(path.read_text(encoding="utf-8").split()))]
    assert claims == []


def test_the_operators_guide_says_where_the_body_is_parsed():
    text = " ".join(ROOT.joinpath("docs", "operators.md").read_text(encoding="utf-8").split())
    assert "Django has parsed the whole multipart body" in text and "STUDENT_FILEUPLOAD_MAX_SIZE" in text
