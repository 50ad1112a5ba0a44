from kedro.pipeline import Node, Pipeline

from prreview.pipelines.filter.nodes import apply_comment_rules, classify_comments


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=apply_comment_rules,
                inputs=["review_comments", "pull_requests", "params:filter"],
                outputs=["comment_candidates", "rule_counts"],
                name="apply_comment_rules_node",
            ),
            Node(
                func=classify_comments,
                inputs=[
                    "comment_candidates",
                    "rule_counts",
                    "comment_embedder",
                    "comment_classifier",
                    "params:filter",
                ],
                outputs=["filtered_comments", "filter_report"],
                name="classify_comments_node",
                # The ingest partitions count as seen only once the kept comments
                # are saved: a crash in between re-filters them on the next run.
                confirms=["review_comments", "pull_requests"],
            ),
        ],
        tags=["filter"],
    )
