from kedro.pipeline import Node, Pipeline

from prreview.pipelines.fim.nodes import build_fim_examples, collect_fim_files


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=collect_fim_files,
                inputs="params:fim",
                outputs=["fim_source_files", "fim_file_summary"],
                name="collect_fim_files_node",
            ),
            Node(
                func=build_fim_examples,
                inputs=[
                    "fim_source_files",
                    "fim_file_summary",
                    "base_tokenizer",
                    "params:fim",
                ],
                outputs=["fim_examples", "fim_report"],
                name="build_fim_examples_node",
            ),
        ],
        tags=["fim"],
    )
