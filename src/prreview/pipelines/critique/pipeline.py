from kedro.pipeline import Node, Pipeline

from prreview.pipelines.critique.nodes import (
    build_critique_records,
    merge_critique_data,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=build_critique_records,
                inputs=[
                    "codediff_files",
                    "comment_summaries",
                    "all_pull_requests",
                    "repository_guidelines",
                    "params:critique",
                ],
                outputs=["critique_data", "critique_build_counts"],
                name="build_critique_records_node",
            ),
            Node(
                func=merge_critique_data,
                inputs=["critique_data", "critique_build_counts"],
                outputs=["critique_sft", "critique_report"],
                name="merge_critique_data_node",
            ),
        ],
        tags=["critique"],
    )
