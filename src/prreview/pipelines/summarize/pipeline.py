from kedro.pipeline import Node, Pipeline

from prreview.pipelines.summarize.nodes import summarize_kept_comments


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=summarize_kept_comments,
                inputs=[
                    "filtered_comments",
                    "summarizer",
                    "summarize_prompt",
                    "params:summarize",
                ],
                outputs=[
                    "comment_summaries",
                    "summarize_report",
                    "summarize_metrics",
                ],
                name="summarize_kept_comments_node",
            ),
        ],
        tags=["summarize"],
    )
