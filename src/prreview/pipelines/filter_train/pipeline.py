from kedro.pipeline import Node, Pipeline

from prreview.pipelines.filter_train.nodes import (
    prepare_labelled_comments,
    train_comment_classifier,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=prepare_labelled_comments,
                inputs="comment_labels",
                outputs="labelled_comments",
                name="prepare_labelled_comments_node",
            ),
            Node(
                func=train_comment_classifier,
                inputs=["labelled_comments", "comment_embedder", "params:filter_train"],
                outputs=[
                    "comment_classifier",
                    "comment_classifier_info",
                    "comment_classifier_metrics",
                ],
                name="train_comment_classifier_node",
            ),
        ],
        tags=["filter"],
    )
