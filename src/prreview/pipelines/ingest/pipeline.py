from kedro.pipeline import Node, Pipeline

from prreview.pipelines.ingest.nodes import (
    confirm_export,
    discover_repositories,
    fetch_iterations,
    normalize_partitions,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=discover_repositories,
                inputs=["github_api", "ingest_store", "params:ingest"],
                outputs="repository_universe",
                name="discover_repositories_node",
            ),
            Node(
                func=fetch_iterations,
                inputs=[
                    "github_api",
                    "ingest_store",
                    "repository_universe",
                    "params:ingest",
                ],
                outputs="ingest_run",
                name="fetch_iterations_node",
            ),
            Node(
                func=normalize_partitions,
                inputs=["ingest_store", "ingest_run"],
                outputs=[
                    "pull_requests",
                    "review_comments",
                    "issue_comments",
                    "linked_issues",
                    "pull_diffs",
                    "ingest_error_logs",
                    "ingest_export",
                ],
                name="normalize_partitions_node",
            ),
            Node(
                func=confirm_export,
                inputs=["ingest_store", "ingest_run", "ingest_export"],
                outputs=["ingest_report", "pipeline_errors"],
                name="confirm_export_node",
            ),
        ],
        tags=["ingest"],
    )
