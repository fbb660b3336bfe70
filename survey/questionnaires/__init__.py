"""Battery files: the YAML format of a question battery, read into plain frozen data and back."""

from __future__ import annotations

from survey.questionnaires.dump import dump_battery
from survey.questionnaires.errors import BatteryFileError, Problem
from survey.questionnaires.model import (
    CHOICE_TYPES,
    NKI_INDEX,
    QUESTION_TYPES,
    SERVICE_FACTORS,
    Battery,
    Condition,
    Matrix,
    NumberBounds,
    Option,
    Question,
    Scale,
    Section,
    Text,
    canonical_json,
    content_hash,
)
from survey.questionnaires.parse import MAX_FILE_BYTES, load_file, parse_battery

__all__ = [
    "CHOICE_TYPES",
    "MAX_FILE_BYTES",
    "NKI_INDEX",
    "QUESTION_TYPES",
    "SERVICE_FACTORS",
    "Battery",
    "BatteryFileError",
    "Condition",
    "NumberBounds",
    "Matrix",
    "Option",
    "Problem",
    "Question",
    "Scale",
    "Section",
    "Text",
    "canonical_json",
    "content_hash",
    "dump_battery",
    "load_file",
    "parse_battery",
]
