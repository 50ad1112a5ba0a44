from kedro.pipeline import Node, Pipeline

from prreview.pipelines.dataset.nodes import (
    clean_fim_examples,
    clean_sft_records,
    fit_sft_lengths,
    import_chat_logs,
    split_sft_records,
    to_parquet,
    write_dataset_card,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=import_chat_logs,
                inputs=["chat_logs", "params:dataset"],
                outputs=["chat_log_records", "chat_log_counts"],
                name="import_chat_logs_node",
            ),
            Node(
                func=clean_sft_records,
                inputs=[
                    "critique_sft",
                    "commit_sft",
                    "chat_log_records",
                    "base_tokenizer",
                    "params:dataset",
                ],
                outputs=["clean_sft_records", "clean_report"],
                name="clean_sft_records_node",
            ),
            Node(
                func=fit_sft_lengths,
                inputs=["clean_sft_records", "base_tokenizer", "params:dataset"],
                outputs=["fitted_sft_records", "length_report", "sft_length_histogram"],
                name="fit_sft_lengths_node",
            ),
            Node(
                func=split_sft_records,
                inputs=["fitted_sft_records", "params:dataset"],
                outputs=["sft_train", "sft_eval", "sft_test", "split_report"],
                name="split_sft_records_node",
            ),
            Node(
                func=to_parquet,
                inputs=["sft_train", "sft_eval", "sft_test"],
                outputs=["sft_train_parquet", "sft_eval_parquet", "sft_test_parquet"],
                name="to_parquet_node",
            ),
            Node(
                func=clean_fim_examples,
                inputs=["fim_examples", "base_tokenizer", "params:dataset"],
                outputs=["fim_train", "fim_eval", "fim_test", "fim_split_report"],
                name="clean_fim_examples_node",
            ),
            Node(
                func=write_dataset_card,
                inputs=[
                    "sft_train",
                    "sft_eval",
                    "sft_test",
                    "chat_log_counts",
                    "clean_report",
                    "length_report",
                    "split_report",
                    "fim_split_report",
                ],
                outputs=["dataset_card", "dataset_report"],
                name="write_dataset_card_node",
            ),
        ],
        tags=["dataset"],
    )
