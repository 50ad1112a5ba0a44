from kedro.pipeline import Node, Pipeline

from prreview.pipelines.codediff.nodes import anchor_kept_comments, build_codediff_files


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=anchor_kept_comments,
                inputs=["filtered_comments", "pull_diffs", "params:codediff"],
                outputs=["codediff_anchors", "codediff_anchor_counts"],
                name="anchor_kept_comments_node",
            ),
            Node(
                func=build_codediff_files,
                inputs=[
                    "codediff_anchors",
                    "codediff_anchor_counts",
                    "params:codediff",
                ],
                outputs=["codediff_files", "codediff_report"],
                name="build_codediff_files_node",
            ),
        ],
        tags=["codediff"],
    )
