"""The commits identifier and merge nodes on one temporary git repository with a
file per language (Python, Rust, Java, JavaScript, TypeScript, Go): a first commit
adds each file, a second adds one definition, removes one and changes the body of
one; then a merged PR branch and a squash-merged commit, matched to hand-made PR
rows."""

from __future__ import annotations

from typing import Any

import pytest

from prreview.pipelines.commits.nodes import merge_pull_requests
from tests.code.conftest import commit, git, git_env, make_repo
from tests.pipelines.commits.test_pipeline import (
    PR_REPO,
    params,
    pr_row,
    run_history,
)

PARTITION = "acme__widgets"

PY_V1 = """class Greeter:
    def greet(self, name):
        return "hi " + name

    def _secret(self):
        return 1


def helper(x):
    return x + 1


def old_function():
    return None
"""
PY_V2 = """class Greeter:
    def greet(self, name):
        return "hi " + name

    def _secret(self):
        return 1


def helper(x):
    return x + 2


def new_function():
    return 2
"""

RS_V1 = """pub struct Point {
    pub x: i32,
    pub y: i32,
}

pub enum Shape {
    Circle(f64),
    Square(f64),
}

pub trait Area {
    fn area(&self) -> f64;
}

impl Point {
    pub fn new(x: i32, y: i32) -> Self {
        Point { x, y }
    }

    fn norm(&self) -> i32 {
        self.x * self.x + self.y * self.y
    }
}

impl Area for Shape {
    fn area(&self) -> f64 {
        match self {
            Shape::Circle(r) => 3.14 * r * r,
            Shape::Square(s) => s * s,
        }
    }
}

fn helper() -> u8 {
    1
}
"""
RS_V2 = (
    RS_V1.replace("3.14 * r * r", "std::f64::consts::PI * r * r")
    .replace("fn helper() -> u8 {\n    1\n}\n", "")
    .rstrip("\n")
    + "\n\npub fn origin() -> Point {\n    Point::new(0, 0)\n}\n"
)

JAVA_V1 = """package demo;

public class Shape {
    private int size;

    public Shape(int size) {
        this.size = size;
    }

    public int getSize() {
        return size;
    }

    int legacy() {
        return 0;
    }
}

interface Drawable {
    void draw();
}

enum Color {
    RED,
    GREEN
}
"""
JAVA_V2 = (
    JAVA_V1.replace("return size;", "return size * 2;")
    .replace("\n    int legacy() {\n        return 0;\n    }\n", "")
    .rstrip("\n")
    + "\n\ninterface Resizable {\n    void resize(int factor);\n}\n"
)

JS_V1 = """export function render(items) {
  return items.join(",");
}

const format = (value) => {
  return String(value);
};

export class Widget {
  constructor(name) {
    this.name = name;
  }

  label() {
    return format(this.name);
  }
}

function legacy() {
  return null;
}
"""
JS_V2 = (
    JS_V1.replace('items.join(",")', 'items.join(", ")')
    .replace("function legacy() {\n  return null;\n}\n", "")
    .rstrip("\n")
    + '\n\nexport const parse = (text) => text.split(",");\n'
)

TS_V1 = """export interface User {
  id: number;
  name(): string;
}

export type Id = number | string;

export enum Role {
  Admin,
  Guest,
}

export class Store {
  private items: User[] = [];

  add(user: User): void {
    this.items.push(user);
  }

  private count(): number {
    return this.items.length;
  }
}

export function lookup(id: Id): User | undefined {
  return undefined;
}
"""
TS_V2 = (
    TS_V1.replace("return undefined;", "return id === 0 ? undefined : undefined;")
    .replace("export enum Role {\n  Admin,\n  Guest,\n}\n\n", "")
    .rstrip("\n")
    + "\n\nexport function clear(store: Store): void {\n  store.add;\n}\n"
)

GO_V1 = """package shapes

type Point struct {
\tX int
\tY int
}

type Shape interface {
\tArea() float64
}

func (p *Point) Norm() int {
\treturn p.X*p.X + p.Y*p.Y
}

func helper() int {
\treturn 1
}

func Old() string {
\treturn "old"
}
"""
GO_V2 = (
    GO_V1.replace("p.X*p.X + p.Y*p.Y", "p.X + p.Y")
    .replace('func Old() string {\n\treturn "old"\n}\n', "")
    .rstrip("\n")
    + "\n\nfunc NewPoint(x, y int) *Point {\n\treturn &Point{X: x, Y: y}\n}\n"
)

FILES = {
    "src/app/service.py": (PY_V1, PY_V2),
    "src/geometry/shapes.rs": (RS_V1, RS_V2),
    "src/main/java/demo/Shape.java": (JAVA_V1, JAVA_V2),
    "web/app.js": (JS_V1, JS_V2),
    "web/store.ts": (TS_V1, TS_V2),
    "pkg/shapes/shapes.go": (GO_V1, GO_V2),
}

# (name, kind, visibility) of everything the first commit adds, per file.
INITIAL = {
    "src/app/service.py": {
        ("Greeter", "class", "public"),
        ("Greeter.greet", "method", "public"),
        ("Greeter._secret", "method", "private"),
        ("helper", "function", "public"),
        ("old_function", "function", "public"),
    },
    "src/geometry/shapes.rs": {
        ("Point", "struct", "public"),
        ("Shape", "enum", "public"),
        ("Area", "trait", "public"),
        ("Area::area", "method", "public"),
        ("impl Point", "impl", "public"),
        ("Point::new", "method", "public"),
        ("Point::norm", "method", "private"),
        ("impl Area for Shape", "impl", "public"),
        ("<Shape as Area>::area", "method", "public"),
        ("helper", "function", "private"),
    },
    "src/main/java/demo/Shape.java": {
        ("Shape", "class", "public"),
        ("Shape.Shape", "constructor", "public"),
        ("Shape.getSize", "method", "public"),
        ("Shape.legacy", "method", "package"),
        ("Drawable", "interface", "package"),
        ("Drawable.draw", "method", "public"),
        ("Color", "enum", "package"),
    },
    "web/app.js": {
        ("render", "function", "public"),
        ("format", "function", "private"),
        ("Widget", "class", "public"),
        ("Widget.constructor", "constructor", "public"),
        ("Widget.label", "method", "public"),
        ("legacy", "function", "private"),
    },
    "web/store.ts": {
        ("User", "interface", "public"),
        ("User.name", "method", "public"),
        ("Id", "type_alias", "public"),
        ("Role", "enum", "public"),
        ("Store", "class", "public"),
        ("Store.add", "method", "public"),
        ("Store.count", "method", "private"),
        ("lookup", "function", "public"),
    },
    "pkg/shapes/shapes.go": {
        ("Point", "struct", "public"),
        ("Shape", "interface", "public"),
        ("Shape.Area", "method", "public"),
        ("Point.Norm", "method", "public"),
        ("helper", "function", "package"),
        ("Old", "function", "public"),
    },
}

# (added, removed, modified) as (name, kind) per file for the second commit. A
# container whose member changed is modified too (its body changed).
CHANGED = {
    "src/app/service.py": (
        {("new_function", "function")},
        {("old_function", "function")},
        {("helper", "function")},
    ),
    "src/geometry/shapes.rs": (
        {("origin", "function")},
        {("helper", "function")},
        {("<Shape as Area>::area", "method"), ("impl Area for Shape", "impl")},
    ),
    "src/main/java/demo/Shape.java": (
        {("Resizable", "interface"), ("Resizable.resize", "method")},
        {("Shape.legacy", "method")},
        {("Shape", "class"), ("Shape.getSize", "method")},
    ),
    "web/app.js": (
        {("parse", "function")},
        {("legacy", "function")},
        {("render", "function")},
    ),
    "web/store.ts": (
        {("clear", "function")},
        {("Role", "enum")},
        {("lookup", "function")},
    ),
    "pkg/shapes/shapes.go": (
        {("NewPoint", "function")},
        {("Old", "function")},
        {("Point.Norm", "method")},
    ),
}


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Five commits on main: add the six files, change them, a feature branch
    merged as "Merge pull request #7 ...", then a squash-merged "Add thing (#8)"."""
    path = make_repo(tmp_path_factory.mktemp("languages"), "widgets")
    shas = {
        "init": commit(
            path,
            {name: v1 for name, (v1, _) in FILES.items()},
            "feat: six languages",
            "2024-01-01T10:00:00+00:00",
        ),
        "change": commit(
            path,
            {name: v2 for name, (_, v2) in FILES.items()},
            "refactor: add, remove and change one definition per file",
            "2024-01-02T10:00:00+00:00",
        ),
    }
    git(path, "checkout", "-q", "-b", "feature")
    shas["feature"] = commit(
        path,
        {"src/app/service.py": PY_V2 + "\n\ndef farewell(name):\n    return name\n"},
        "Say goodbye",
        "2024-01-03T10:00:00+00:00",
    )
    git(path, "checkout", "-q", "main")
    git(
        path,
        "merge",
        "-q",
        "--no-ff",
        "feature",
        "-m",
        "Merge pull request #7 from acme/feature",
        env=git_env("2024-01-04T10:00:00+00:00"),
    )
    shas["merge"] = git(path, "rev-parse", "HEAD")
    shas["squash"] = commit(
        path,
        {
            "pkg/shapes/shapes.go": GO_V2.replace("X int\n", "X int\n\tZ int\n")
            + "\nfunc Thing() int {\n\treturn 8\n}\n"
        },
        "Add thing (#8)",
        "2024-01-05T10:00:00+00:00",
    )
    p = params(path)
    history, summary, identifiers, id_summary = run_history(p)
    return {
        "path": path,
        "shas": shas,
        "params": p,
        "history": history,
        "identifiers": identifiers,
        "id_summary": id_summary,
    }


def _files(history_repo: dict[str, Any], commit_name: str) -> dict[str, Any]:
    sha = history_repo["shas"][commit_name]
    rows = [r for r in history_repo["identifiers"][PARTITION] if r["sha"] == sha]
    assert len(rows) == 1, f"one identifier row for {commit_name}"
    return {f["path"]: f for f in rows[0]["files"]}


def _pairs(definitions: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(d["name"], d["kind"]) for d in definitions}


def test_first_commit_adds_every_definition(history_repo) -> None:
    files = _files(history_repo, "init")
    assert set(files) == set(INITIAL)
    for path, expected in INITIAL.items():
        found = files[path]
        added = {(d["name"], d["kind"], d["visibility"]) for d in found["added"]}
        assert added == expected, path
        assert len(found["added"]) == len(expected), f"{path}: no duplicates"
        assert found["removed"] == [] and found["modified"] == [], path
        assert found["change_type"] == "added" and not found["has_errors"], path


@pytest.mark.parametrize("path", sorted(CHANGED))
def test_second_commit_adds_removes_and_modifies(history_repo, path: str) -> None:
    found = _files(history_repo, "change")[path]
    added, removed, modified = CHANGED[path]
    assert _pairs(found["added"]) == added
    assert _pairs(found["removed"]) == removed
    assert _pairs(found["modified"]) == modified
    assert found["change_type"] == "modified" and not found["has_errors"]


def test_every_language_is_parsed_without_skips(history_repo) -> None:
    counts = history_repo["id_summary"]["counts"]
    assert {f["language"] for f in _files(history_repo, "change").values()} == {
        "python",
        "rust",
        "java",
        "javascript",
        "typescript",
        "go",
    }
    assert counts["commits_in"] == 5
    assert counts["skipped_commits:merge"] == 1
    assert counts.get("files_with_parse_errors", 0) == 0
    assert not any(k.startswith("skipped:") for k in counts), counts


def test_merge_and_squash_commits_are_detected(history_repo) -> None:
    shas = history_repo["shas"]
    rows = {r["sha"]: r for r in history_repo["history"][PARTITION]}
    assert len(rows) == 5
    merge, squash = rows[shas["merge"]], rows[shas["squash"]]
    assert (merge["is_merge"], merge["merge_kind"], merge["pr_number"]) == (
        True,
        "merge_commit",
        7,
    )
    assert merge["parents"] == [shas["change"], shas["feature"]]
    assert (squash["is_merge"], squash["merge_kind"], squash["pr_number"]) == (
        False,
        "squash",
        8,
    )
    for name in ("init", "change", "feature"):
        row = rows[shas[name]]
        assert (row["is_merge"], row["merge_kind"], row["pr_number"]) == (
            False,
            None,
            None,
        )
    with_identifiers = {r["sha"] for r in history_repo["identifiers"][PARTITION]}
    assert shas["merge"] not in with_identifiers, "a merge repeats its branch"
    feature = _files(history_repo, "feature")["src/app/service.py"]
    assert _pairs(feature["added"]) == {("farewell", "function")}
    go = _files(history_repo, "squash")["pkg/shapes/shapes.go"]
    assert _pairs(go["added"]) == {("Thing", "function")}
    assert _pairs(go["modified"]) == {("Point", "struct")}
    assert go["removed"] == []


def test_prs_match_the_merge_and_the_squash(history_repo) -> None:
    shas = history_repo["shas"]
    pulls = {
        "iter_0001/acme__widgets": [
            pr_row(  # as GitHub reports a merged PR: its commits, head and merge
                7,
                title="Say goodbye to users",
                commit_shas=[shas["feature"]],
                head_sha=shas["feature"],
                merge_commit_sha=shas["merge"],
            ),
            pr_row(8, title="Add thing"),  # only the "(#8)" subject links it
            pr_row(9, commit_shas=["f" * 40]),  # not in this history
            pr_row(8, repo="other/repo"),  # same number, another repository
        ]
    }
    changes, summary = merge_pull_requests(
        history_repo["history"],
        history_repo["identifiers"],
        pulls,
        {},
        history_repo["params"],
    )
    assert summary["pull_requests_in"] == 4
    assert summary["pull_requests_matched"] == 2
    assert summary["pull_requests_with_identifier_data"] == 2
    assert summary["commits_matched"] == 3
    assert summary["matched_by"] == {
        "commit_shas": 1,
        "head_sha": 1,
        "merge_commit_sha": 1,
        "pr_number": 2,
    }
    assert [
        (c["kind"], c["pull_request"] and c["pull_request"]["number"], c["shas"])
        for c in changes
    ] == [
        ("commit", None, [shas["init"]]),
        ("commit", None, [shas["change"]]),
        ("pull_request", 7, [shas["feature"], shas["merge"]]),
        ("pull_request", 8, [shas["squash"]]),
    ]
    pr7, pr8 = changes[2], changes[3]
    assert pr7["pull_request"]["repo"] == PR_REPO
    assert pr7["pull_request"]["matched_by"] == [
        "commit_shas",
        "head_sha",
        "merge_commit_sha",
        "pr_number",
    ]
    assert pr7["request"]["title"] == "Say goodbye to users"
    assert not pr7["is_merge"], "the PR holds its branch commit too"
    assert [f["path"] for f in pr7["files"]] == ["src/app/service.py"]
    assert pr7["identifiers"] == {
        "added": [
            {
                "path": "src/app/service.py",
                "name": "farewell",
                "kind": "function",
                "visibility": "public",
            }
        ],
        "removed": [],
        "modified": [],
    }
    assert pr8["pull_request"]["matched_by"] == ["pr_number"]
    assert (pr8["intent"], pr8["intent_source"]) == ("feature", "keyword")
    assert [(d["name"], d["kind"]) for d in pr8["identifiers"]["added"]] == [
        ("Thing", "function")
    ]
    assert [(d["name"], d["kind"]) for d in pr8["identifiers"]["modified"]] == [
        ("Point", "struct")
    ]
