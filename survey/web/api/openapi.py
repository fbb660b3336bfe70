"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from survey.models.company import SIZE_CLASSES
from survey.questionnaires.model import QUESTION_TYPES

_ERROR = {"$ref": "#/components/responses/Error"}
_TEXT = {
    "type": "object",
    "properties": {"sv": {"type": "string"}, "en": {"type": ["string", "null"]}},
    "required": ["sv"],
}


def _query(name: str, description: str, schema: dict[str, Any], required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


_FILTERS = [
    _query("survey_id", "Only this survey.", {"type": "integer", "minimum": 1}),
    _query("area", "Service area key.", {"type": "string"}),
    _query("industry", "SNI section letter A-U.", {"type": "string"}),
    _query("size", "Company size class.", {"enum": list(SIZE_CLASSES)}),
    _query("official_id", "Visits by this official.", {"type": "integer", "minimum": 1}),
    _query("mode", "Collection mode.", {"enum": ["web", "interview", "import"]}),
    _query(
        "date_from",
        "First local date (inclusive), moved to the first day of its month.",
        {"type": "string", "format": "date"},
    ),
    _query(
        "date_to",
        "Last local date (inclusive), moved to the last day of its month.",
        {"type": "string", "format": "date"},
    ),
    _query(
        "where",
        "A filter written FIELD=VALUE (repeatable), as `survey stats --where`.",
        {"type": "array", "items": {"type": "string"}},
    ),
]

_GROUP = {
    "type": "object",
    "properties": {
        "period": {"type": "string", "examples": ["2024", "2024Q1", "2024-01"]},
        "split": {"type": ["string", "null"]},
        "n": {"type": "integer"},
        "mean": {"type": ["number", "null"]},
        "sd": {"type": ["number", "null"]},
        "ci_low": {"type": ["number", "null"]},
        "ci_high": {"type": ["number", "null"]},
        "grade": {"type": ["string", "null"], "description": "SKR band; none under 7 answers"},
        "suppressed": {"type": "boolean"},
        "no_interval": {
            "type": ["string", "null"],
            "enum": ["one_value", "no_variance", None],
            "description": "Why a shown group has no interval (a single answer, or all equal).",
        },
    },
    "description": "Numbers at full precision; pages round indices to whole points.",
}
_CHANGE = {
    "type": "object",
    "properties": {
        "from": {"type": "string"},
        "to": {"type": "string"},
        "split": {"type": ["string", "null"]},
        "diff": {"type": ["number", "null"]},
        "ci_low": {"type": ["number", "null"]},
        "ci_high": {"type": ["number", "null"]},
        "p_value": {"type": ["number", "null"]},
        "p_holm": {
            "type": ["number", "null"],
            "description": "p_value adjusted by Holm's method over the report's changes.",
        },
        "significant": {"type": ["boolean", "null"], "description": "p_holm < 0.05"},
        "untested": {
            "type": ["string", "null"],
            "enum": ["no_variance", None],
            "description": "Why a change has no test (no variation in either period).",
        },
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Företagsenkät API",
        "version": "1.0.0",
        "description": (
            "Read-only access to question batteries, statistics and responses. Authenticate "
            "with a personal API token (created on the Export page) as `Authorization: Bearer "
            "<token>`; the token's user and role apply. Company identities are never returned: "
            "the response export uses stable pseudonyms. Small groups are suppressed, and so is a "
            "group that a neighbouring query would tell a few respondents apart from, and a "
            "second group wherever a table would otherwise give a suppressed one as its total "
            "minus the others (SECURITY.md)."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": {
        "/batteries": {
            "get": {
                "operationId": "listBatteries",
                "summary": "Batteries with their published versions",
                "responses": {
                    "200": {
                        "description": "The batteries",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/BatterySummary"},
                                }
                            }
                        },
                    },
                    "401": _ERROR,
                },
            }
        },
        "/batteries/{key}": {
            "get": {
                "operationId": "getBattery",
                "summary": "A battery version's sections and questions",
                "parameters": [
                    {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}},
                    _query("version", "Version number; default the latest.", {"type": "integer"}),
                ],
                "responses": {
                    "200": {
                        "description": "Questions with keys, types, texts, options, index roles",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/BatteryVersion"}
                            }
                        },
                    },
                    "400": _ERROR,
                    "401": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/stats": {
            "get": {
                "operationId": "getStats",
                "summary": "An index per period with changes (the `survey stats --json` object)",
                "parameters": [
                    _query("battery", "Battery key.", {"type": "string"}, required=True),
                    _query("index", "nki or a factor key.", {"type": "string", "default": "nki"}),
                    _query("by", "Period length.", {"enum": ["year", "quarter", "month"]}),
                    _query("split", "Break down by.", {"enum": ["area", "industry", "size"]}),
                    *_FILTERS,
                ],
                "responses": {
                    "200": {
                        "description": "The report",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Stats"}}
                        },
                    },
                    "400": _ERROR,
                    "401": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/stats/measures": {
            "get": {
                "operationId": "getMeasures",
                "summary": "NPS, CSAT, alpha per index, response rate, NKI trend "
                "(the `survey stats measures --json` object)",
                "parameters": [
                    _query("battery", "Battery key.", {"type": "string"}, required=True),
                    _query("by", "Periods of the trend.", {"enum": ["year", "quarter", "month"]}),
                    *_FILTERS,
                ],
                "responses": {
                    "200": {
                        "description": "The measures",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": _ERROR,
                    "401": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/stats/skr": {
            "get": {
                "operationId": "getSkrNki",
                "summary": "NKI by SKR's definition (the `survey stats skr --json` object)",
                "parameters": [
                    _query("battery", "Battery key.", {"type": "string"}, required=True),
                    _query("year", "Year; the latest with NKI by default.", {"type": "string"}),
                ],
                "responses": {
                    "200": {
                        "description": "The four mandatory areas and the total",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "400": _ERROR,
                    "401": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/responses.csv": {
            "get": {
                "operationId": "exportResponses",
                "summary": "The response export as CSV (streamed, pseudonymised)",
                "parameters": [
                    _query("battery", "Battery key.", {"type": "string"}, required=True),
                    _query("survey_id", "Only this survey.", {"type": "integer"}),
                    _query("format", "Layout.", {"enum": ["wide", "long"], "default": "wide"}),
                    _query("excel", "Semicolons, decimal comma, BOM.", {"type": "boolean"}),
                ],
                "responses": {
                    "200": {
                        "description": "CSV, one row per response (wide) or per answer (long)",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "400": _ERROR,
                    "401": _ERROR,
                    "404": _ERROR,
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This description",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "responses": {
            "Error": {
                "description": "An error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "string"}},
                "required": ["error"],
            },
            "Text": _TEXT,
            "BatterySummary": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "title": {"$ref": "#/components/schemas/Text"},
                    "archived": {"type": "boolean"},
                    "versions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "number": {"type": "integer"},
                                "published_at": {"type": ["string", "null"], "format": "date-time"},
                            },
                        },
                    },
                },
            },
            "Question": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "type": {"enum": list(QUESTION_TYPES)},
                    "text": {"$ref": "#/components/schemas/Text"},
                    "help": {"oneOf": [{"$ref": "#/components/schemas/Text"}, {"type": "null"}]},
                    "required": {"type": "boolean"},
                    "scale": {"type": ["object", "null"]},
                    "options": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "key": {"type": "string"},
                                "label": {"$ref": "#/components/schemas/Text"},
                            },
                        },
                    },
                    "number": {"type": ["object", "null"]},
                    "max_length": {"type": ["integer", "null"]},
                    "show_if": {"type": ["object", "null"]},
                    "index": {"type": ["string", "null"], "description": "nki or a factor"},
                    "weight": {"type": "number"},
                },
            },
            "BatteryVersion": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "version": {"type": "integer"},
                    "status": {"type": "string"},
                    "published_at": {"type": ["string", "null"], "format": "date-time"},
                    "title": {"$ref": "#/components/schemas/Text"},
                    "introduction": {
                        "oneOf": [{"$ref": "#/components/schemas/Text"}, {"type": "null"}]
                    },
                    "sections": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "key": {"type": "string"},
                                "title": {"$ref": "#/components/schemas/Text"},
                                "questions": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Question"},
                                },
                            },
                        },
                    },
                },
            },
            "Stats": {
                "type": "object",
                "properties": {
                    "battery": {"type": "string"},
                    "index": {"type": "string"},
                    "by": {"type": "string"},
                    "groups": {"type": "array", "items": _GROUP},
                    "changes": {"type": "array", "items": _CHANGE},
                },
                "required": ["battery", "index", "by", "groups", "changes"],
            },
        },
    },
}
