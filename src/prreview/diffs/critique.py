"""The critique prompt: what a review model is shown and what it must answer.

Training records (the critique pipeline), inference (``prreview review``) and
evaluation all build their prompts here, so the model is asked at inference exactly
what it learned from. The answer is the comment format of
:mod:`prreview.diffs.render`: ``<comment path=... side=... lines=...>`` blocks, or
``<no_comments/>`` when a careful reviewer would say nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prreview.comments.text import clean_body
from prreview.diffs.render import NO_COMMENTS, CommentBlock, render_comments

FORMAT_VERSION = 1

SYSTEM_PROMPT = f"""\
You are an experienced code reviewer. You read one file's diff from a pull request \
and write the review comments a careful reviewer would leave, each anchored to lines \
of the diff.
Every diff line starts with its number: a plain number is a line of the new file \
(side RIGHT), a number after L is a line of the old file (side LEFT).
Write each comment as:
<comment path="FILE" side="RIGHT" lines="N">
what is wrong and what to change
</comment>
Use lines="N-M" for a range. If nothing needs a comment, answer exactly {NO_COMMENTS}"""


@dataclass(frozen=True)
class ReviewContext:
    """What the reviewer sees: where the change is, why it was made, the diff."""

    repo: str
    pr_title: str
    path: str
    language: str
    rendered_patch: str
    pr_description: str = ""
    guidelines: str = ""  # an excerpt of the repository's contributing or style guide


def excerpt(body: str | None, max_chars: int) -> str:
    """Markdown short enough for a prompt (a PR description, a contributing guide):
    HTML comments (template hints) and tags removed, blank runs collapsed, cut at a
    line end before ``max_chars``."""
    text = clean_body(body or "")
    text = "\n".join(line.rstrip() for line in text.splitlines())
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    if max_chars <= 0:
        return ""
    if len(text) <= max_chars:
        return text
    cut = text.rfind("\n", 0, max_chars)
    return text[: cut if cut > max_chars // 2 else max_chars].rstrip() + " [...]"


def user_turn(context: ReviewContext) -> str:
    """The user message: repository, PR title and description, file, the diff."""
    parts = [f"Repository: {context.repo}", f"Pull request: {context.pr_title}"]
    if context.pr_description:
        parts.append(f"Description:\n{context.pr_description}")
    if context.guidelines:
        parts.append(f"Project guidelines:\n{context.guidelines}")
    parts.append(f"File: {context.path} ({context.language})")
    parts.append(f"Diff:\n{context.rendered_patch}")
    return "\n\n".join(parts)


def prompt_messages(
    context: ReviewContext, system_prompt: str = SYSTEM_PROMPT
) -> list[dict[str, str]]:
    """System and user turns: the prompt at inference time."""
    return [
        {"role": "system", "content": system_prompt},
        {"role": "user", "content": user_turn(context)},
    ]


def critique_messages(
    context: ReviewContext,
    blocks: Sequence[CommentBlock],
    system_prompt: str = SYSTEM_PROMPT,
) -> list[dict[str, str]]:
    """A full training conversation; no blocks means the no-comments answer."""
    return [
        *prompt_messages(context, system_prompt),
        {"role": "assistant", "content": render_comments(blocks)},
    ]


def review_payload(user_text: str) -> str:
    """The part of a user turn that makes an example what it is: the file and its
    diff. Repository, PR title, description and guidelines are shared by every
    file of a PR, so near-duplicate checks look at this part only."""
    start = user_text.find("\n\nFile: ")
    return user_text[start + 2 :] if start != -1 else user_text


def example_key(
    repo: str, pr_number: int, path: str, hunk_index: int | None, negative: bool
) -> str:
    """Identity of an example across iterations: the same PR file (or hunk)."""
    kind = "negative" if negative else "positive"
    return f"{repo}#{pr_number}:{path}:{hunk_index}:{kind}"


def example_title(key: str) -> str:
    """A heading for an :func:`example_key`: ``owner/repo#12 · path``, the hunk when
    there is one, and whether humans left the file alone; any other key as it is."""
    head, _, rest = key.partition(":")
    parts = rest.rsplit(":", 2)
    if "#" not in head or len(parts) != 3 or parts[2] not in {"positive", "negative"}:
        return key
    path, hunk, kind = parts
    title = f"{head} · {path}"
    if hunk not in {"", "None"}:
        title += f", hunk {hunk}"
    return title + (" (no human comments)" if kind == "negative" else "")
