"""oldguard/legacy-utils: an archived Python helper package (archived=True).

It exists so that search queries with ``archived:false`` have something to exclude.
"""

from spec import Comment, Edit, FileChange, IssueComment, PullSpec, RepoSpec

STRINGS = "legacy_utils/strings.py"
DATES = "legacy_utils/dates.py"

_SETUP = """\
from setuptools import find_packages, setup

setup(
    name="legacy-utils",
    version="1.4.2",
    description="Assorted helpers extracted from the oldguard monolith",
    author="oldguard",
    license="BSD-3-Clause",
    packages=find_packages(exclude=["tests"]),
    python_requires=">=2.7",
    classifiers=[
        "Programming Language :: Python :: 2.7",
        "Programming Language :: Python :: 3",
    ],
)
"""

_README = """\
legacy-utils
============

Assorted string and date helpers extracted from the oldguard monolith in 2016.

**This package is in maintenance mode.** New code should use the standard library
(``datetime``, ``textwrap.shorten``) or ``python-slugify`` instead.

Install::

    pip install legacy-utils
"""

_INIT = """\
from legacy_utils.dates import age, parse_date, utc_now
from legacy_utils.strings import camel_to_snake, slugify, truncate

__all__ = ["age", "camel_to_snake", "parse_date", "slugify", "truncate", "utc_now"]
__version__ = "1.4.2"
"""

_STRINGS = r'''"""String helpers kept for old callers."""

import re
import unicodedata

_SLUG_STRIP = re.compile(r"[^\w\s-]")
_SLUG_HYPHENATE = re.compile(r"[-\s]+")


def slugify(value, allow_unicode=False):
    """Convert ``value`` to a URL slug: lowercase, hyphens instead of spaces."""
    value = str(value)
    if allow_unicode:
        value = unicodedata.normalize("NFKC", value)
    else:
        value = unicodedata.normalize("NFKD", value)
        value = value.encode("ascii", "ignore").decode("ascii")
    value = _SLUG_STRIP.sub("", value).strip().lower()
    return _SLUG_HYPHENATE.sub("-", value)


def truncate(text, length, suffix="..."):
    """Shorten ``text`` to at most ``length`` characters, including ``suffix``."""
    if len(text) <= length:
        return text
    return text[:length] + suffix


def camel_to_snake(name):
    """``HTTPResponseCode`` -> ``http_response_code``."""
    partial = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z0-9])([A-Z])", r"\1_\2", partial).lower()
'''

_DATES = '''\
"""Date helpers."""

import datetime


def parse_date(value):
    """Parse ``YYYY-MM-DD`` or ``DD/MM/YYYY`` into a ``date``."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValueError("unrecognised date: %r" % value)


def utc_now():
    """The current time in UTC."""
    return datetime.datetime.utcnow()


def age(born, today=None):
    """Age in whole years on ``today``."""
    today = today or datetime.date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
'''

_TEST_STRINGS = """\
from legacy_utils.strings import camel_to_snake, slugify, truncate


def test_slugify():
    assert slugify("Hello, World!") == "hello-world"


def test_truncate_short_text_unchanged():
    assert truncate("abc", 10) == "abc"


def test_camel_to_snake():
    assert camel_to_snake("HTTPResponseCode") == "http_response_code"
"""

_TEST_DATES = """\
import datetime

from legacy_utils.dates import age, parse_date


def test_parse_both_formats():
    assert parse_date("2016-03-01") == datetime.date(2016, 3, 1)
    assert parse_date("01/03/2016") == datetime.date(2016, 3, 1)


def test_age_before_birthday():
    assert age(datetime.date(1990, 6, 15), datetime.date(2016, 6, 14)) == 25
"""

FILES = {
    "setup.py": _SETUP,
    "README.rst": _README,
    "legacy_utils/__init__.py": _INIT,
    STRINGS: _STRINGS,
    DATES: _DATES,
    "tests/test_strings.py": _TEST_STRINGS,
    "tests/test_dates.py": _TEST_DATES,
}

PR_TRUNCATE = PullSpec(
    title="Fix truncate() returning more than `length` characters",
    body=(
        "The docstring says the result is at most `length` characters including the "
        "suffix, but `truncate('abcdefghij', 5)` returned `'abcde...'` (8)."
    ),
    author="w-ashby",
    branch="fix-truncate-length",
    labels=("bug",),
    changes=(
        FileChange(
            STRINGS,
            edits=(
                Edit(
                    "    return text[:length] + suffix\n",
                    "    return text[: length - len(suffix)] + suffix\n",
                ),
            ),
        ),
        FileChange(
            "tests/test_strings.py",
            edits=(
                Edit(
                    '    assert truncate("abc", 10) == "abc"\n',
                    '    assert truncate("abc", 10) == "abc"\n'
                    "\n"
                    "\n"
                    "def test_truncate_counts_suffix():\n"
                    '    assert truncate("abcdefghij", 5) == "ab..."\n',
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            STRINGS,
            edits=(
                Edit(
                    "    return text[: length - len(suffix)] + suffix\n",
                    "    keep = max(length - len(suffix), 0)\n"
                    "    return (text[:keep] + suffix)[:length]\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="negative",
            author="jmarsh",
            association="OWNER",
            path=STRINGS,
            anchor="    return text[: length - len(suffix)] + suffix",
            outdated=True,
            body=(
                "When `length < len(suffix)` the slice index goes negative: "
                "`truncate('abcdefghij', 2)` is `text[:-1] + '...'`, 12 characters. "
                "The admin list view calls this with `length=2` for the initials "
                "column."
            ),
        ),
        Comment(
            key="negative-reply",
            author="w-ashby",
            association="CONTRIBUTOR",
            reply_to="negative",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit: it returns a clipped suffix "
                "then."
            ),
        ),
        Comment(
            key="shorten",
            author="priyam-d",
            association="COLLABORATOR",
            path=STRINGS,
            anchor="keep = max(length - len(suffix), 0)",
            body=(
                "Fine for a bugfix. Longer term `textwrap.shorten` does this on word "
                "boundaries, which is what the README already recommends."
            ),
        ),
        Comment(
            key="lgtm",
            author="jmarsh",
            association="OWNER",
            path="tests/test_strings.py",
            anchor='assert truncate("abcdefghij", 5) == "ab..."',
            body="LGTM",
        ),
    ),
)

PR_UTC = PullSpec(
    title="utc_now(): return an aware datetime",
    body=(
        "`datetime.utcnow()` is deprecated since Python 3.12 and returns a naive "
        "datetime that is easy to mix up with local time."
    ),
    author="priyam-d",
    author_association="COLLABORATOR",
    branch="aware-utc-now",
    labels=("enhancement",),
    changes=(
        FileChange(
            DATES,
            edits=(
                Edit(
                    "    return datetime.datetime.utcnow()\n",
                    "    return datetime.datetime.now(datetime.timezone.utc)\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="naive",
            author="jmarsh",
            association="OWNER",
            path=DATES,
            side="LEFT",
            anchor="return datetime.datetime.utcnow()",
            body=(
                "Callers compare this with naive datetimes loaded from the old MySQL "
                "schema (`DATETIME` columns, no tz). Aware minus naive raises "
                "`TypeError: can't subtract offset-naive and offset-aware datetimes`. "
                "This needs a major version bump at least."
            ),
        ),
        Comment(
            key="naive-reply",
            author="priyam-d",
            association="COLLABORATOR",
            reply_to="naive",
            body=(
                "Agreed, I'll release it as 2.0.0 with a changelog note. The two "
                "internal callers I found already call `.replace(tzinfo=None)` on "
                "the result anyway."
            ),
        ),
        Comment(
            key="py2",
            author="w-ashby",
            association="CONTRIBUTOR",
            path=DATES,
            anchor="return datetime.datetime.now(datetime.timezone.utc)",
            body=(
                "`datetime.timezone` doesn't exist on Python 2.7, and setup.py still "
                'says `python_requires=">=2.7"`. Either bump that or keep a '
                "fallback."
            ),
        ),
        Comment(
            key="thanks",
            author="jmarsh",
            association="OWNER",
            path=DATES,
            anchor='"""The current time in UTC."""',
            body="Thanks!",
        ),
    ),
    conversation=(
        IssueComment(
            author="jmarsh",
            association="OWNER",
            body=(
                "Merging this as the last change before we archive the repository; "
                "everything here has a standard-library replacement now."
            ),
        ),
    ),
)

REPO = RepoSpec(
    owner="oldguard",
    name="legacy-utils",
    language="Python",
    description="Assorted string and date helpers from the oldguard monolith "
    "(archived).",
    stars=37,
    license_spdx="BSD-3-Clause",
    topics=("python", "utilities"),
    created_at="2016-04-11T10:05:52Z",
    files=FILES,
    pulls=(PR_TRUNCATE, PR_UTC),
    archived=True,
)
