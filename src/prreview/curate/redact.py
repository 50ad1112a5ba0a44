"""Redact secrets and personal data from training text before it is written.

Every detector replaces only the sensitive part of a match with a placeholder and
counts it under its kind. Detectors run in this order, each on the output of the
previous one, so a later detector sees earlier placeholders and leaves them alone:

- ``private_key``: PEM blocks (``-----BEGIN ... PRIVATE KEY-----`` to its END line,
  or to the end of the base64 run when a diff hunk cut the block off), as a whole,
  because every line of a key is secret. -> ``<PRIVATE_KEY>``
- ``github_token`` (``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_``, ``github_pat_``),
  ``aws_access_key_id`` (``AKIA``/``ASIA``/... + 16), ``openai_key`` (``sk-``,
  ``sk-proj-``; must mix digits and both cases), ``slack_token`` (``xox[abposr]-``,
  ``xapp-``), ``slack_webhook`` (the path after ``hooks.slack.com/``),
  ``other_token`` (Google ``AIza``, GitLab ``glpat-``, Hugging Face ``hf_``, Stripe
  live keys, npm, PyPI, JWTs) and ``bearer_token``: fixed-format tokens, found by
  precise regexes because their prefixes make them unambiguous. -> ``<KEY>``
- ``aws_secret_key``: 40 base64 characters assigned to an ``aws_secret...`` name;
  the value alone has no prefix, so only the name identifies it. -> ``<KEY>``
- ``url_password`` (``scheme://user:PASSWORD@host``) and ``connection_password``
  (``Password=...;`` in ``;``-separated connection strings): only the password is
  replaced, user, host and database stay for the model to learn from. Templated
  values (``${DB_PASS}``, ``{password}``, ``%s``) are kept. -> ``<PASSWORD>``
- ``secret_assignment`` / ``password_assignment``: a value assigned to a
  secret-sounding name (``api_key = "..."``, ``SECRET=...``, ``"token": "..."``,
  ``password: ...``). Candidates come from our own name regex (it also knows
  ``token``, ``credential``, ``access_key``) and from detect-secrets'
  ``KeywordDetector`` (its denylist and its per-syntax regexes: ``==`` comparisons,
  Go ``:=``, config files), run only on lines the cheap name regex flags, because
  detect-secrets costs ~200 us a line and most lines never mention a secret name.
  A candidate counts only when it looks like a secret: not a call, attribute,
  subscript or bare identifier (``get_token()``, ``os.environ["X"]``, ``self.token``),
  not a template or placeholder, no spaces, and random enough (length and Shannon
  entropy thresholds; for passwords, two character classes). -> ``<KEY>`` /
  ``<PASSWORD>``
- ``email``: addresses, except reserved test domains (``example.com``, ``.test``,
  ``.invalid``, ``.localhost``, ...) that are not anyone's data, file names like
  ``icon@2x.png``, and the allowlist (``git@github.com``). -> ``<EMAIL>``
- ``ipv4`` / ``ipv6``: only globally routable addresses are personal data, so
  loopback, unspecified, private, link-local and documentation ranges
  (``127.0.0.1``, ``0.0.0.0``, ``10.x``, ``192.168.x``, ``192.0.2.x``,
  ``2001:db8::``) stay, and so do dotted quads that read as versions
  (``v1.2.3.4``, ``==1.2.3.4``, all-single-digit quads) and the allowlisted public
  resolvers (``8.8.8.8``, ``1.1.1.1``). ``ipaddress`` validates every candidate.
  -> ``<IP_ADDRESS>``

Git SHAs, UUIDs and lock-file hashes are never matched on their own: hex alone is
not a secret unless a secret-sounding name is assigned to it. Placeholders match no
detector, and a text with findings is scanned again until a pass finds nothing (a
replacement can expose a neighbour), so redacting twice changes nothing. A
``Redactor`` holds only compiled patterns and read-only settings, so one instance
may be shared across threads.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from detect_secrets.plugins.keyword import (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    GOLANG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    KeywordDetector,
)

logger = logging.getLogger(__name__)

KEY, PRIVATE_KEY, PASSWORD = "<KEY>", "<PRIVATE_KEY>", "<PASSWORD>"
EMAIL, IP_ADDRESS = "<EMAIL>", "<IP_ADDRESS>"

DEFAULT_PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        "private_key": PRIVATE_KEY,
        "github_token": KEY,
        "aws_access_key_id": KEY,
        "openai_key": KEY,
        "slack_token": KEY,
        "slack_webhook": KEY,
        "other_token": KEY,
        "bearer_token": KEY,
        "aws_secret_key": KEY,
        "url_password": PASSWORD,
        "connection_password": PASSWORD,
        "secret_assignment": KEY,
        "password_assignment": PASSWORD,
        "email": EMAIL,
        "ipv4": IP_ADDRESS,
        "ipv6": IP_ADDRESS,
    }
)
KINDS: frozenset[str] = frozenset(DEFAULT_PLACEHOLDERS)

DEFAULT_ALLOWLIST = frozenset(
    {
        "git@github.com",
        "git@gitlab.com",
        "git@bitbucket.org",
        "noreply@github.com",
        "8.8.8.8",
        "8.8.4.4",
        "1.1.1.1",
        "1.0.0.1",
        "9.9.9.9",
    }
)
DEFAULT_KEEP_EMAIL_DOMAINS = frozenset(
    {"example.com", "example.org", "example.net", "example", "test", "invalid"}
    | {"localhost", "local", "localdomain"}
)


@dataclass(frozen=True)
class RedactSettings:
    """What to redact and how; the defaults suit code and review text.

    ``kinds``: the detectors that run (see ``KINDS``). ``placeholders``: kind to
    replacement, merged over ``DEFAULT_PLACEHOLDERS``. ``min_secret_length`` and
    ``min_secret_entropy`` (bits per character over the value's own characters)
    decide whether a value assigned to a secret-sounding name is random enough;
    ``min_password_length`` does that for password names. ``allowlist``: exact
    strings never redacted. ``keep_email_domains``: domains (and their
    subdomains) whose addresses are test data. ``redact_non_public_ips``: also
    replace loopback, private and documentation addresses.
    """

    kinds: frozenset[str] = KINDS
    placeholders: Mapping[str, str] = field(default_factory=dict)
    min_secret_length: int = 12
    min_secret_entropy: float = 3.0
    min_password_length: int = 6
    allowlist: frozenset[str] = DEFAULT_ALLOWLIST
    keep_email_domains: frozenset[str] = DEFAULT_KEEP_EMAIL_DOMAINS
    redact_non_public_ips: bool = False
    use_detect_secrets: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - KINDS | set(self.placeholders) - KINDS
        if unknown:
            raise ValueError(f"unknown redaction kinds: {sorted(unknown)}")
        # Accept lists (YAML parameters) but store immutable values.
        object.__setattr__(self, "kinds", frozenset(self.kinds))
        object.__setattr__(self, "allowlist", frozenset(self.allowlist))
        domains = frozenset(d.lower() for d in self.keep_email_domains)
        object.__setattr__(self, "keep_email_domains", domains)
        merged = {**DEFAULT_PLACEHOLDERS, **self.placeholders}
        object.__setattr__(self, "placeholders", MappingProxyType(merged))


class Redaction(NamedTuple):
    """The redacted text and how many replacements each kind made."""

    text: str
    counts: dict[str, int]


# --- patterns, compiled once ------------------------------------------------------

_DIFF_MARKERS = ("+", "-", " ")
_PEM_HEADER = r"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"
_PEM_BLOCK = re.compile(
    _PEM_HEADER + r".{0,20000}?-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----",
    re.DOTALL,
)
# A block cut off by a diff hunk: the header and the base64-looking lines after it
# (with diff markers, quotes, escaped newlines or indentation in between).
_PEM_OPEN = re.compile(
    _PEM_HEADER
    + r"(?:(?:\\n|[\s+\-\"',])+(?:[A-Za-z0-9+/=]{8,}|(?:Proc-Type|DEK-Info):[^\n]*))*"
)
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "github_token",
        re.compile(
            r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}"
            r"|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"
        ),
    ),
    (
        "aws_access_key_id",
        re.compile(
            r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b"
        ),
    ),
    (
        "openai_key",
        re.compile(
            r"(?<![\w-])sk-(?:proj-|svcacct-|admin-)?(?=[\w-]*\d)(?=[\w-]*[a-z])"
            r"(?=[\w-]*[A-Z])[A-Za-z0-9_-]{20,}"
        ),
    ),
    (
        "slack_token",
        re.compile(r"(?<![\w-])(?:xox[abposr]|xapp)-(?=[\w-]*\d)[\w-]{10,}"),
    ),
    (
        "other_token",
        re.compile(
            r"(?<![\w-])(?:AIza[0-9A-Za-z_-]{35}|glpat-[0-9A-Za-z_-]{20,}"
            r"|hf_[A-Za-z]{34}|[rs]k_live_[0-9A-Za-z]{24,}|npm_[A-Za-z0-9]{36}"
            r"|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"
            r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})"
            r"(?![\w-])"
        ),
    ),
)
_SLACK_WEBHOOK = re.compile(
    r"(?<=hooks\.slack\.com/)(?:services|workflows|triggers)/[A-Za-z0-9/_+-]{20,}"
)
_BEARER = re.compile(r"(?i)(?<=\bbearer )[A-Za-z0-9._~+/=-]{20,}")
_AWS_SECRET = re.compile(
    r"(?i)aws_?secret_?(?:access_?)?key(?:_?id)?[\"'`\]]?\s*"
    r"(?::=|=>|[:=])\s*[\"'`]?(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
)
_URL_PASSWORD = re.compile(
    r"(?i)\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@'\"<>]{1,128}:(?P<value>[^\s@/'\"]{1,256})@"
    r"(?=[\w\[.-])"
)
_CONNECTION_PASSWORD = re.compile(
    r"(?i)(?<![\w.])(?:password|pwd)\s*=\s*(?P<value>[^;\"'\s]{1,256})"
)
# A connection string names its server or user next to the password.
_CONNECTION_CONTEXT = re.compile(
    r"(?i)\b(?:server|host|data source|database|initial catalog|user id|uid"
    r"|user(?:name)?|port)\s*=[^;\n]*;"
)
_SECRET_NAME = (
    r"api[_-]?key|apikey|secret|token|passw(?:or)?d|pwd|auth[_-]?key|access[_-]?key"
    r"|private[_-]?key|credentials?|client[_-]?secret"
)
_NAME_HINT = re.compile(f"(?i){_SECRET_NAME}")
_ASSIGNMENT = re.compile(
    r"(?i)(?P<name>[A-Za-z0-9_.-]*(?:" + _SECRET_NAME + r")[A-Za-z0-9_.-]*)"
    r"[\"'`]?\]?\s*(?::\s*[A-Za-z_][\w\[\], |.]{0,40}?\s*(?==))?"
    r"(?P<op>:=|=>|=(?!=)|:(?!:))[ \t]*"
    r"(?:(?P<quote>[\"'`])(?P<quoted>[^\"'`\n]{1,512})(?P=quote)"
    r"|(?P<bare>[^\s\"'`,;)}\]]{1,512}))"
)
_PASSWORD_NAME = re.compile(r"(?i)passw(?:or)?d|pwd")
_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})"
    r"(?![\w-]|\.\w)"
)
_FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp ico bmp pdf js mjs ts tsx jsx py rs go java kt rb php"
    " c h cc cpp hpp cs css scss html htm json yaml yml toml md txt lock xml sh".split()
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.\d)")
_VERSION_CONTEXT = re.compile(r"(?i)(?:version[_\s:=\"']*|[=<>~!]=\s*[\"']?|[<>^~@-])$")
_IPV6 = re.compile(
    r"(?<![\w:.])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{2,39}"
    r"(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])"
)
_PLACEHOLDER = re.compile(r"<[A-Z_]{2,24}>")
_TEMPLATED = re.compile(
    r"\$\{|\{\{|%\(|%[sd]\b|^\$\w+$|^\{\w*\}$|^<.*>$|^\*+$|^x+$", re.IGNORECASE
)
_CODE_VALUE = re.compile(
    r"^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*(?:[(\[].*)?[)\]]?$"
)
_ALL_CAPS_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_CODE_BRACKETS = re.compile(r"[()\[\]{}]")
_CODE_MARK = re.compile(r"[(\[.]|::|->")
_WORDY = re.compile(
    r"^(?:[a-z]+(?:[_\-. /][a-z0-9]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*"
    r"|(?:[A-Z]?[a-z]+)+(?:[A-Z][a-z]+)*"
    r"|(?:[A-Z]?[a-z]+|[A-Z]+)(?:[-_. /](?:[A-Z]?[a-z]+|[A-Z]+|\d+))+)$"
)
_NOT_SECRETS = frozenset(
    "none null nil true false undefined str bytes string int bool optional"
    " required secret password token changeme redacted hidden pass passwd pwd pw"
    " user username".split()
)
_KEYWORD_GROUPS = (
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    GOLANG_DENYLIST_REGEX_TO_GROUP,
)


_MAX_PASSES = 4


def _not_a_password(value: str) -> bool:
    """Templates and documentation stand-ins (``${DB_PASS}``, ``PASSWORD``)."""
    return (
        _TEMPLATED.search(value) is not None
        or value.lower() in _NOT_SECRETS
        or _ALL_CAPS_NAME.match(value) is not None
    )


def _is_file_name(name: str) -> bool:
    """``token.rs`` or ``secrets.yaml`` names a file, not a variable."""
    stem, dot, extension = name.rpartition(".")
    return bool(dot and stem) and extension.lower() in _FILE_EXTENSIONS


def _assignment_kind(password: bool) -> str:
    return "password_assignment" if password else "secret_assignment"


def shannon_entropy(value: str) -> float:
    """Bits per character over the value's own characters."""
    if not value:
        return 0.0
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in Counter(value).values())


def _classes(value: str) -> int:
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )


class Redactor:
    """Replaces secrets and personal data in text; see the module docstring."""

    def __init__(self, settings: RedactSettings | None = None) -> None:
        self.settings = settings or RedactSettings()
        self._keyword = KeywordDetector() if self.settings.use_detect_secrets else None
        self._placeholders = frozenset(self.settings.placeholders.values())
        on = self.settings.kinds
        steps: list[Callable[[str, Counter[str]], str]] = []
        if "private_key" in on:
            steps.append(self._private_keys)
        steps.extend(
            self._token_step(kind, pattern) for kind, pattern in _TOKENS if kind in on
        )
        if "slack_webhook" in on:
            steps.append(self._token_step("slack_webhook", _SLACK_WEBHOOK, "hooks."))
        if "bearer_token" in on:
            steps.append(self._bearer)
        if "aws_secret_key" in on:
            steps.append(self._value_step("aws_secret_key", _AWS_SECRET, "ECRET"))
        if "url_password" in on:
            steps.append(self._value_step("url_password", _URL_PASSWORD, "://"))
        if "connection_password" in on:
            steps.append(self._connection_passwords)
        if on & {"secret_assignment", "password_assignment"}:
            steps.append(self._assignments)
        if "email" in on:
            steps.append(self._emails)
        if "ipv4" in on:
            steps.append(self._ipv4)
        if "ipv6" in on:
            steps.append(self._ipv6)
        self._steps = tuple(steps)

    # --- public API ---------------------------------------------------------------

    def redact(self, text: str) -> Redaction:
        """Return ``text`` with every enabled kind replaced, and the counts."""
        counts: Counter[str] = Counter()
        for _ in range(_MAX_PASSES):
            found: Counter[str] = Counter()
            for step in self._steps:
                text = step(text, found)
            counts.update(found)
            if not found:  # a replacement can expose another match; rarely
                break
        return Redaction(text, dict(counts))

    def redact_value(self, obj: Any) -> tuple[Any, dict[str, int]]:
        """Redact every string inside a JSON-like value (dict keys stay as they are)."""
        counts: Counter[str] = Counter()
        return self._walk(obj, counts), dict(counts)

    # --- helpers --------------------------------------------------------------------

    def _walk(self, obj: Any, counts: Counter[str]) -> Any:
        if isinstance(obj, str):
            text, found = self.redact(obj)
            counts.update(found)
            return text
        if isinstance(obj, Mapping):
            return {key: self._walk(value, counts) for key, value in obj.items()}
        if isinstance(obj, list | tuple):
            return type(obj)(self._walk(value, counts) for value in obj)
        return obj

    def _placeholder(self, kind: str) -> str:
        return self.settings.placeholders[kind]

    def _kept(self, value: str) -> bool:
        return (
            value in self.settings.allowlist
            or value in self._placeholders
            or _PLACEHOLDER.search(value) is not None
        )

    def _token_step(
        self, kind: str, pattern: re.Pattern[str], hint: str | None = None
    ) -> Callable[[str, Counter[str]], str]:
        placeholder = self._placeholder(kind)

        def step(text: str, counts: Counter[str]) -> str:
            if hint is not None and hint not in text:
                return text

            def replace(match: re.Match[str]) -> str:
                if self._kept(match.group()):
                    return match.group()
                counts[kind] += 1
                return placeholder

            return pattern.sub(replace, text)

        return step

    def _value_step(
        self, kind: str, pattern: re.Pattern[str], hint: str
    ) -> Callable[[str, Counter[str]], str]:
        """Replace only the ``value`` group of each match."""
        placeholder = self._placeholder(kind)

        def step(text: str, counts: Counter[str]) -> str:
            if hint not in text and hint.lower() not in text:
                return text

            def replace(match: re.Match[str]) -> str:
                value = match.group("value")
                if self._kept(value) or _not_a_password(value):
                    return match.group()
                counts[kind] += 1
                start, end = match.span("value")
                whole = match.group()
                offset = match.start()
                return whole[: start - offset] + placeholder + whole[end - offset :]

            return pattern.sub(replace, text)

        return step

    def _private_keys(self, text: str, counts: Counter[str]) -> str:
        if "PRIVATE KEY" not in text:
            return text
        placeholder = self._placeholder("private_key")

        def replace(match: re.Match[str]) -> str:
            counts["private_key"] += 1
            lines = match.group(0).split("\n")
            if len(lines) > 1 and all(line[:1] in _DIFF_MARKERS for line in lines[1:]):
                # a key added or removed in a patch: one marker per line stays, so
                # the hunk keeps its line count and still parses
                return "\n".join([placeholder, *(line[:1] for line in lines[1:])])
            return placeholder

        text = _PEM_BLOCK.sub(replace, text)
        return _PEM_OPEN.sub(replace, text)

    def _bearer(self, text: str, counts: Counter[str]) -> str:
        if "earer " not in text and "EARER " not in text:
            return text
        placeholder = self._placeholder("bearer_token")

        def replace(match: re.Match[str]) -> str:
            value = match.group()
            if self._kept(value) or not self._random(value, 20):
                return value
            counts["bearer_token"] += 1
            return placeholder

        return _BEARER.sub(replace, text)

    def _connection_passwords(self, text: str, counts: Counter[str]) -> str:
        if ";" not in text or "=" not in text:
            return text
        placeholder = self._placeholder("connection_password")

        def replace(match: re.Match[str]) -> str:
            value = match.group("value")
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line = text[line_start : None if line_end < 0 else line_end]
            if (
                self._kept(value)
                or _not_a_password(value)
                or not _CONNECTION_CONTEXT.search(line)
            ):
                return match.group()
            counts["connection_password"] += 1
            start = match.start("value") - match.start()
            return match.group()[:start] + placeholder

        return _CONNECTION_PASSWORD.sub(replace, text)

    # --- secret-sounding names ------------------------------------------------------

    def _random(self, value: str, min_length: int) -> bool:
        """Whether a value is random enough to be a key rather than a word."""
        return (
            len(value) >= min_length
            and shannon_entropy(value) >= self.settings.min_secret_entropy
            and _classes(value) >= 2  # noqa: PLR2004 - letters and digits at least
            and not _WORDY.match(value)
        )

    def _secret_value(self, value: str, *, password: bool, quoted: bool) -> bool:
        """Whether a value assigned to a secret-sounding name is itself secret."""
        if (
            not value
            or any(c.isspace() for c in value)
            or "://" in value
            or value.lower() in _NOT_SECRETS
            or self._kept(value)
            or _TEMPLATED.search(value)
        ):
            return False
        if not quoted and (
            _CODE_BRACKETS.search(value)
            or (_CODE_VALUE.match(value) and _CODE_MARK.search(value))
        ):
            return False  # a call, attribute, subscript or f-string field: code
        if password:
            return (
                len(value) >= self.settings.min_password_length
                and _classes(value) >= 2  # noqa: PLR2004 - e.g. letters and digits
                and not _WORDY.match(value)
            )
        return self._random(value, self.settings.min_secret_length)

    def _assignments(self, text: str, counts: Counter[str]) -> str:
        starts = {text.rfind("\n", 0, m.start()) + 1 for m in _NAME_HINT.finditer(text)}
        if not starts:
            return text
        pieces, previous = [], 0
        for start in sorted(starts):
            stop = text.find("\n", start)
            stop = len(text) if stop < 0 else stop
            pieces.append(text[previous:start])
            pieces.append(self._assignment_line(text[start:stop], counts))
            previous = stop
        pieces.append(text[previous:])
        return "".join(pieces)

    def _assignment_line(self, line: str, counts: Counter[str]) -> str:
        found: dict[str, str] = {}  # value -> kind
        position = 0
        while match := _ASSIGNMENT.search(line, position):
            if _is_file_name(match.group("name")):  # src/token.rs:12, secret.yaml: x
                position = match.end("name")
                continue
            quoted = match.group("quoted")
            group = "bare" if quoted is None else "quoted"
            value = match.group(group)
            password = _PASSWORD_NAME.search(match.group("name")) is not None
            if self._secret_value(value, password=password, quoted=quoted is not None):
                found[value] = _assignment_kind(password)
                position = match.end()
            else:  # a rejected value may hold the next assignment (``a=b:c=d``)
                position = match.start(group)
        if self._keyword is not None:
            for value, password in self._keyword_values(line):
                if value not in found and self._secret_value(
                    value,
                    password=password,
                    quoted=any(f"{q}{value}{q}" in line for q in "\"'`"),
                ):
                    found[value] = _assignment_kind(password)
        for value, kind in sorted(found.items(), key=lambda item: -len(item[0])):
            if kind not in self.settings.kinds or value not in line:
                continue
            counts[kind] += line.count(value)
            line = line.replace(value, self._placeholder(kind))
        return line

    def _keyword_values(self, line: str) -> Iterable[tuple[str, bool]]:
        """Values detect-secrets' KeywordDetector finds, and whether a password.

        Each of its regexes reports only its first match, so the rest of the line
        after a found value is scanned again."""
        assert self._keyword is not None  # noqa: S101 - checked by the caller
        seen: set[str] = set()
        for groups in _KEYWORD_GROUPS:
            rest, offset = line, 0
            while rest:
                position = -1
                for raw in self._keyword.analyze_string(
                    rest, denylist_regex_to_group=groups
                ):
                    value = raw.strip().rstrip(")]},;:")
                    at = rest.find(value) if value else -1
                    if at < 0:
                        continue
                    position = max(position, at + len(value))
                    if value not in seen:
                        seen.add(value)
                        names = list(_NAME_HINT.finditer(line, 0, offset + at))
                        password = bool(names) and bool(
                            _PASSWORD_NAME.fullmatch(names[-1].group())
                        )
                        yield value, password
                if position < 0:
                    break
                rest, offset = rest[position:], offset + position

    # --- personal data ------------------------------------------------------------

    def _emails(self, text: str, counts: Counter[str]) -> str:
        if "@" not in text:
            return text
        placeholder = self._placeholder("email")
        keep = self.settings.keep_email_domains

        def replace(match: re.Match[str]) -> str:
            address = match.group()
            domain = match.group("domain").lower()
            labels = domain.split(".")
            if (
                self._kept(address)
                or labels[-1] in _FILE_EXTENSIONS
                or any(".".join(labels[i:]) in keep for i in range(len(labels)))
            ):
                return address
            counts["email"] += 1
            return placeholder

        return _EMAIL.sub(replace, text)

    def _public(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if self.settings.redact_non_public_ips:
            return True
        if isinstance(address, ipaddress.IPv6Address):
            mapped = address.ipv4_mapped
            if mapped is not None:
                return mapped.is_global
            return address.is_global and not address.is_reserved
        return address.is_global

    def _ipv4(self, text: str, counts: Counter[str]) -> str:
        if "." not in text:
            return text
        placeholder = self._placeholder("ipv4")

        def replace(match: re.Match[str]) -> str:
            value = match.group()
            before = text[max(0, match.start() - 12) : match.start()]
            if (
                self._kept(value)
                or all(len(octet) == 1 for octet in value.split("."))
                or _VERSION_CONTEXT.search(before)
                or not self._public(ipaddress.IPv4Address(value))
            ):
                return value
            counts["ipv4"] += 1
            return placeholder

        return _IPV4.sub(replace, text)

    def _ipv6(self, text: str, counts: Counter[str]) -> str:
        if "::" not in text and text.count(":") < 7:  # noqa: PLR2004 - 8 groups
            return text
        placeholder = self._placeholder("ipv6")

        def replace(match: re.Match[str]) -> str:
            value = match.group()
            try:
                address = ipaddress.IPv6Address(value)
            except ValueError:
                return value
            if self._kept(value) or not self._public(address):
                return value
            counts["ipv6"] += 1
            return placeholder

        return _IPV6.sub(replace, text)


def scrub_body(body: bytes, redactor: Redactor) -> bytes:
    """An HTTP body with its secrets replaced before it is kept on disk: a JSON
    body value by value, anything else as text. Unchanged bodies keep their bytes."""
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        text = body.decode("utf-8", errors="replace")
        redacted = redactor.redact(text)
        return redacted.text.encode() if redacted.counts else body
    clean, counts = redactor.redact_value(value)
    return json.dumps(clean, ensure_ascii=False).encode() if counts else body


def redact_records(
    records: Iterable[Any], redactor: Redactor
) -> tuple[list[Any], dict[str, int]]:
    """Redact each record's strings; return the records and the summed counts."""
    total: Counter[str] = Counter()
    out = []
    for record in records:
        new, counts = redactor.redact_value(record)
        total.update(counts)
        out.append(new)
    if total:
        logger.info("redacted %d values: %s", sum(total.values()), dict(total))
    return out, dict(total)
