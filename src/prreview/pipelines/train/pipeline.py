from kedro.pipeline import Node, Pipeline

from prreview.pipelines.train.nodes import log_adapter, train_review_adapter


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=train_review_adapter,
                inputs=[
                    "sft_train",
                    "sft_eval",
                    "base_model",
                    "dataset_report",
                    "params:train",
                ],
                outputs=["review_adapter", "train_report", "train_metrics"],
                name="train_review_adapter_node",
            ),
            Node(
                func=log_adapter,
                inputs="review_adapter",
                outputs="review_adapter_artifact",
                name="log_adapter_node",
            ),
        ],
        tags=["train"],
    )
