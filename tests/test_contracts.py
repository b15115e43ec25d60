"""Every stage's output honours its pandera contract (pipeline/contracts.py), on the bundled example."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

from pipeline import config
from pipeline.contracts import MODELS, validate_stage
from pipeline.ingest.files import read_inputs
from pipeline.instrument import Instrument
from pipeline.merge import merge_answers
from pipeline.region import Region
from pipeline.score.results import score_results
from pipeline.validate import validate_answers


@pytest.fixture(scope="module")
def stages(instrument: Instrument, region: Region) -> dict[str, pd.DataFrame]:
    """The bundled example through every stage, each stage's output by contract name."""
    ingested = read_inputs(config.EXAMPLE_INPUTS_DIR, instrument, region, jobs=1)
    answers, answer_issues = validate_answers(ingested.cells, instrument)
    issues = pd.concat([ingested.issues, answer_issues], ignore_index=True)
    regional = merge_answers(instrument, region, answers, ingested.files, issues)
    results = score_results(instrument, region, regional, ingested.files, issues, "t", True)
    return {
        "issues": issues,
        "files": ingested.files,
        "cells": ingested.cells,
        "answers": answers,
        "regional": regional,
        "scored": results.scored,
        "indicators": results.indicators,
        "clusters": results.clusters,
        "completeness": results.completeness,
        "recommendations": results.recommendations,
    }


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_columns_are_the_tables_contract(name: str) -> None:
    model, columns = MODELS[name]
    assert tuple(model.to_schema().columns) == columns


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_stage_output_honours_its_contract(name: str, stages: dict[str, pd.DataFrame]) -> None:
    assert len(stages[name]) > 0
    validate_stage(name, stages[name])


def test_a_broken_stage_output_is_caught(stages: dict[str, pd.DataFrame]) -> None:
    scored = stages["scored"].copy()
    scored.loc[0, "nilai_terverifikasi"] = scored.loc[0, "nilai_mandiri"] + 1
    scored.loc[1, "status"] = "dijawab?"
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        validate_stage("scored", scored)
    text = str(caught.value)
    assert "verified_never_above_self_assessed" in text
    assert "dijawab?" in text


def test_a_missing_column_is_caught(stages: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(pandera.errors.SchemaErrors, match="sumber_sel"):
        validate_stage("regional", stages["regional"].drop(columns="sumber_sel"))
