from kedro.pipeline import Node, Pipeline

from prreview.pipelines.commits.nodes import (
    build_chronological_windows,
    build_commit_chunks,
    build_commit_sft,
    build_commits_report,
    extract_identifier_changes,
    merge_pull_requests,
    read_commit_history,
    summarize_repositories,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=read_commit_history,
                inputs="params:commits",
                outputs=["commit_history", "commit_history_summary"],
                name="read_commit_history_node",
            ),
            Node(
                func=summarize_repositories,
                inputs=["commit_history", "commit_history_summary"],
                outputs="commit_repository_stats",
                name="summarize_repositories_node",
            ),
            Node(
                func=extract_identifier_changes,
                inputs=["commit_history", "commit_history_summary", "params:commits"],
                outputs=["commit_identifiers", "commit_identifier_summary"],
                name="extract_identifier_changes_node",
            ),
            Node(
                func=merge_pull_requests,
                inputs=[
                    "commit_history",
                    "commit_identifiers",
                    "all_pull_requests",
                    "linked_issues",
                    "params:commits",
                ],
                outputs=["commit_changes", "commit_merge_summary"],
                name="merge_pull_requests_node",
            ),
            Node(
                func=build_commit_sft,
                inputs=["commit_changes", "params:commits"],
                outputs=["commit_sft", "commit_sft_summary"],
                name="build_commit_sft_node",
            ),
            Node(
                func=build_commit_chunks,
                inputs=["commit_history", "base_tokenizer", "params:commits"],
                outputs=["commit_chunks", "commit_chunk_summary"],
                name="build_commit_chunks_node",
            ),
            Node(
                func=build_chronological_windows,
                inputs=["commit_chunks", "base_tokenizer", "params:commits"],
                outputs=["commit_windows", "commit_window_summary"],
                name="build_chronological_windows_node",
            ),
            Node(
                func=build_commits_report,
                inputs=[
                    "commit_history_summary",
                    "commit_identifier_summary",
                    "commit_merge_summary",
                    "commit_sft_summary",
                    "commit_chunk_summary",
                    "commit_window_summary",
                    "params:commits",
                ],
                outputs="commits_report",
                name="build_commits_report_node",
            ),
        ],
        tags=["commits"],
    )
