"""The train node with a tiny model built in the test, the pipeline on the
in-memory catalog, and the folder dataset that versions adapters."""

from __future__ import annotations

from pathlib import Path

import pytest
from kedro.io import DataCatalog, DatasetError, MemoryDataset, Version
from kedro.runner import SequentialRunner

from prreview.datasets import BaseModelDataset, ModelFolderDataset
from prreview.pipelines.train import create_pipeline
from prreview.pipelines.train.nodes import TrainParams, train_review_adapter
from tests.train.test_lora import RECORDS, build_tiny_model

PARAMS = TrainParams(
    overrides={
        "max_steps": 2,
        "batch_size": 2,
        "eval_steps": 2,
        "min_train_records": 2,
        "progress_bar": False,
        "batching": "padded",
    }
)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def test_node_trains_and_reports(tiny_model: Path, tmp_path: Path) -> None:
    params = PARAMS.model_copy(update={"workdir": str(tmp_path / "run")})
    adapter, report, metrics = train_review_adapter(
        RECORDS, RECORDS[:2], str(tiny_model), {"lengths": {"max_length": 512}}, params
    )
    assert (Path(adapter) / "adapter_config.json").is_file()
    assert report["max_length"] == 512, "the dataset's length is used"
    assert report["counts"]["train_records_kept"] == len(RECORDS)
    assert report["metrics"]["global_step"] == 2
    assert [p["step"] for p in metrics["loss"]] == [1, 2]
    assert metrics["final_train_loss"]["value"] > 0
    assert report["reused"] is False
    _, rerun, _ = train_review_adapter(
        RECORDS, RECORDS[:2], str(tiny_model), {"lengths": {"max_length": 512}}, params
    )
    assert rerun["reused"] is True, "a finished run is not trained again"
    assert rerun["metrics"]["global_step"] == 2
    _, changed, _ = train_review_adapter(
        RECORDS[:-1],
        RECORDS[:2],
        str(tiny_model),
        {"lengths": {"max_length": 512}},
        params,
    )
    assert changed["reused"] is False, "other data trains again"
    again = TrainParams(
        overrides={**PARAMS.overrides, "max_length": 256},
        workdir=str(tmp_path / "other"),
    )
    assert again.settings(512).max_length == 256, "an explicit override wins"


def test_params_refuse_unknown_profiles_and_fields() -> None:
    with pytest.raises(ValueError):
        TrainParams(profile="nope").settings(None)
    with pytest.raises(ValueError):
        TrainParams(overrides={"not_a_field": 1}).settings(None)


def test_pipeline_saves_a_versioned_adapter(tiny_model: Path, tmp_path: Path) -> None:
    params = PARAMS.model_copy(update={"workdir": str(tmp_path / "run")})
    adapters = ModelFolderDataset(
        str(tmp_path / "adapters"), version=Version(None, None)
    )
    catalog = DataCatalog(
        {
            "sft_train": MemoryDataset(RECORDS),
            "sft_eval": MemoryDataset(RECORDS[:2]),
            "base_model": BaseModelDataset(model=str(tiny_model)),
            "dataset_report": MemoryDataset({"lengths": {"max_length": 512}}),
            "params:train": MemoryDataset(params),
            "review_adapter": adapters,
            "review_adapter_artifact": ModelFolderDataset(str(tmp_path / "latest")),
        }
    )
    SequentialRunner().run(create_pipeline(), catalog)
    saved = Path(adapters.load())
    assert (saved / "adapter_model.safetensors").is_file()
    assert saved.parent.parent == tmp_path / "adapters"
    assert (tmp_path / "latest" / "adapter_config.json").is_file()


def test_model_folder_dataset_replaces_and_refuses_files(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("one")
    folder = ModelFolderDataset(str(tmp_path / "out"))
    folder.save(str(source))
    (source / "a.txt").write_text("two")
    folder.save(str(source))
    assert (Path(folder.load()) / "a.txt").read_text() == "two"
    assert not list(tmp_path.glob(".tmp-*"))
    with pytest.raises(DatasetError):
        folder.save(str(source / "a.txt"))
    with pytest.raises(DatasetError):
        ModelFolderDataset(str(tmp_path / "missing")).load()
    with pytest.raises(DatasetError):
        BaseModelDataset()
