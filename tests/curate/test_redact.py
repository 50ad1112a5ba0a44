"""Redaction: planted secrets are replaced, ordinary code and review text are not."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prreview.curate.redact import KINDS, Redaction, Redactor, RedactSettings

CORPUS = Path(__file__).parent / "redaction_corpus"
PLANTED = [
    json.loads(line) for line in (CORPUS / "planted.jsonl").read_text().splitlines()
]
CLEAN = sorted((CORPUS / "clean").iterdir())
REDACTOR = Redactor()


def test_corpus_plants_every_kind() -> None:
    assert {case["kind"] for case in PLANTED} == KINDS


@pytest.mark.parametrize(
    "case", PLANTED, ids=[f"{c['kind']}-{i}" for i, c in enumerate(PLANTED)]
)
def test_planted_secret_is_replaced(case: dict[str, str]) -> None:
    result = REDACTOR.redact(case["text"])
    assert case["secret"] not in result.text
    assert case["placeholder"] in result.text
    assert result.counts.get(case["kind"], 0) >= 1


@pytest.mark.parametrize("path", CLEAN, ids=[p.name for p in CLEAN])
def test_clean_code_and_reviews_are_untouched(path: Path) -> None:
    text = path.read_text()
    result = REDACTOR.redact(text)
    assert result.counts == {}
    assert result.text == text


def test_only_the_password_of_a_url_is_replaced() -> None:
    text = "postgres://app:s3cr3tpw@db.acme.io:5432/prod?sslmode=require"
    assert REDACTOR.redact(text) == Redaction(
        "postgres://app:<PASSWORD>@db.acme.io:5432/prod?sslmode=require",
        {"url_password": 1},
    )


def test_private_key_block_goes_as_a_whole() -> None:
    text = (
        "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc=\n"
        "-----END RSA PRIVATE KEY-----\nafter"
    )
    assert REDACTOR.redact(text).text == "before\n<PRIVATE_KEY>\nafter"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v1.2.3.4 and ==10.2.3.14", {}),
        ("127.0.0.1 0.0.0.0 10.1.2.3 192.168.0.7 192.0.2.4 ::1 fe80::1", {}),
        ("8.8.8.8 and 2001:db8::42", {}),
        ("from 34.117.59.81 and 2606:4700:4700::1111", {"ipv4": 1, "ipv6": 1}),
        ("test@example.com, a@b.test, icon@2x.png, git@github.com", {}),
        ("write to jane@acme.io", {"email": 1}),
        ("token = get_token()", {}),
        ('password = os.environ["X"]', {}),
        ('TOKEN_HEADER = "X-Auth-Token"', {}),
        ('token = "q8Wm2Lp4Rt6Yv1Nb3Xc"', {"secret_assignment": 1}),
    ],
)
def test_decisions(text: str, expected: dict[str, int]) -> None:
    assert REDACTOR.redact(text).counts == expected


def test_redacting_twice_changes_nothing() -> None:
    for case in PLANTED:
        once = REDACTOR.redact(case["text"])
        assert REDACTOR.redact(once.text) == Redaction(once.text, {})


def test_redact_value_walks_records_and_leaves_keys() -> None:
    record = {
        "messages": [
            {"role": "system", "content": "You review code."},
            {"role": "user", "content": 'api_key = "Zx9Yw8Vu7Ts6Rq5Pn4Ml"'},
            {"role": "assistant", "content": "Ask jane@acme.io before 34.117.59.81"},
        ],
        "metadata": {"repo": "a/b", "pr": 7, "tags": ("x", "ops@acme.io"), "ok": None},
        "password": "not a key's value but left alone: keys are not walked",
    }
    new, counts = REDACTOR.redact_value(record)
    assert counts == {"secret_assignment": 1, "email": 2, "ipv4": 1}
    assert new["messages"][1]["content"] == 'api_key = "<KEY>"'
    assert new["messages"][2]["content"] == "Ask <EMAIL> before <IP_ADDRESS>"
    assert new["metadata"] == {
        "repo": "a/b",
        "pr": 7,
        "tags": ("x", "<EMAIL>"),
        "ok": None,
    }
    assert set(new) == set(record)
    assert record["messages"][1]["content"].endswith('Ml"')  # input not mutated


def test_fim_record_fields_are_redacted() -> None:
    fim = {"prefix": "KEY = '", "middle": "ghp_" + "a1B2" * 9, "suffix": "'\n"}
    new, counts = REDACTOR.redact_value(fim)
    assert new["middle"] == "<KEY>"
    assert counts == {"github_token": 1}


def test_settings_turn_kinds_off_and_change_placeholders() -> None:
    redactor = Redactor(
        RedactSettings(
            kinds=frozenset(KINDS - {"email"}), placeholders={"ipv4": "[IP]"}
        )
    )
    result = redactor.redact("jane@acme.io at 34.117.59.81")
    assert result == Redaction("jane@acme.io at [IP]", {"ipv4": 1})
    assert redactor.redact(result.text).counts == {}
    with pytest.raises(ValueError, match="unknown"):
        RedactSettings(kinds=frozenset({"phone"}))


def test_allowlist_and_private_addresses_option() -> None:
    text = "jane@acme.io at 10.0.0.1"
    keep = Redactor(RedactSettings(allowlist=frozenset({"jane@acme.io"})))
    assert keep.redact(text).counts == {}
    strict = Redactor(RedactSettings(redact_non_public_ips=True))
    assert strict.redact(text).counts == {"email": 1, "ipv4": 1}


def test_one_redactor_is_safe_across_threads() -> None:
    texts = [case["text"] for case in PLANTED] * 20
    expected = [REDACTOR.redact(text) for text in texts]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(REDACTOR.redact, texts)) == expected


_SNIPPETS = st.sampled_from(
    [case["text"] for case in PLANTED]
    + ["<KEY>", "<PASSWORD>", "@", "://", ":", ";", "=", '"', "\n", "::", ".", "-"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40), _SNIPPETS), max_size=8))
def test_redact_never_raises_and_is_idempotent(parts: list[str]) -> None:
    text = "".join(parts)
    once = REDACTOR.redact(text)
    assert REDACTOR.redact(once.text).text == once.text


@pytest.mark.parametrize(
    "text",
    [
        "ferrous-labs/rivet#12:src/token.rs:None:negative",
        "config/secrets.yaml: Kx9fQ2mZ7pL4vB8n",
        "password.txt:abcdef123",
    ],
)
def test_file_names_with_secret_words_are_not_assignments(text: str) -> None:
    assert Redactor().redact(text) == (text, {})


def test_a_key_in_a_patch_keeps_the_hunk_line_count() -> None:
    from prreview.diffs.hunks import parse_patch

    patch = (
        "@@ -1,1 +1,5 @@\n context\n+-----BEGIN RSA PRIVATE KEY-----\n"
        "+MIIEowIBAAKCAQEA\n+abc=\n+-----END RSA PRIVATE KEY-----"
    )
    redacted = REDACTOR.redact(patch).text
    assert redacted == "@@ -1,1 +1,5 @@\n context\n+<PRIVATE_KEY>\n+\n+\n+"
    assert len(parse_patch(redacted)[0].lines) == 5


def test_scrub_body_redacts_json_values_and_text_and_keeps_clean_bytes() -> None:
    from prreview.curate.redact import scrub_body

    secret = "ghp_FAKEfake0123456789FAKEfake0123456789"
    body = json.dumps({"body": f"token {secret}", "n": 1}).encode()
    assert json.loads(scrub_body(body, REDACTOR)) == {"body": "token <KEY>", "n": 1}
    assert scrub_body(f"diff +{secret}".encode(), REDACTOR) == b"diff +<KEY>"
    clean = b'{"body":  "nothing"}'
    assert scrub_body(clean, REDACTOR) is clean
