from kedro.pipeline import Node, Pipeline

from prreview.pipelines.evaluate.nodes import (
    generate_base_reviews,
    generate_candidate_reviews,
    render_evaluation_report,
    score_reviews,
)


def create_pipeline(**kwargs) -> Pipeline:
    ranking = ["comment_classifier", "comment_embedder"]
    return Pipeline(
        [
            Node(
                func=generate_base_reviews,
                inputs=["sft_test", "base_model", *ranking, "params:evaluate"],
                outputs="base_reviews",
                name="generate_base_reviews_node",
            ),
            Node(
                func=generate_candidate_reviews,
                inputs=[
                    "sft_test",
                    "base_model",
                    "review_adapter",
                    *ranking,
                    "params:evaluate",
                ],
                outputs="candidate_reviews",
                name="generate_candidate_reviews_node",
            ),
            Node(
                func=score_reviews,
                inputs=[
                    "sft_test",
                    "base_reviews",
                    "candidate_reviews",
                    "review_adapter",
                    "params:evaluate",
                ],
                outputs=["evaluation", "evaluation_metrics", "adapter_promotion"],
                name="score_reviews_node",
            ),
            Node(
                func=render_evaluation_report,
                inputs="evaluation",
                outputs=[
                    "evaluation_report",
                    "evaluation_report_html",
                    "evaluation_headline_plot",
                    "evaluation_slices_plot",
                ],
                name="render_evaluation_report_node",
            ),
        ],
        tags=["evaluate"],
    )
