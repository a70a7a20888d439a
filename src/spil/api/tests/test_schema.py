"""The committed OpenAPI schema is the one the code generates, and it is Dutch and complete about errors."""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "docs" / "api" / "openapi.yaml"
REGENERATE = "manage.py spectacular --file docs/api/openapi.yaml"


def generated() -> str:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


def test_the_committed_schema_is_current():
    assert SCHEMA_FILE.read_text() == generated(), f"docs/api/openapi.yaml is out of date with the code: regenerate it with `{REGENERATE}`"


def test_every_operation_is_described_in_dutch_and_answers_errors_as_problem_json():
    schema = yaml.safe_load(generated())
    operations = [(path, method, operation) for path, methods in schema["paths"].items() for method, operation in methods.items()]
    assert len(operations) == 11
    for path, method, operation in operations:
        assert operation.get("summary") and operation.get("description") and operation.get("tags"), (path, method)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (path, method, status)
    list_paths = ["/api/v1/meldingen", "/api/v1/acties", "/api/v1/verrijkingsverzoeken"]
    for path in list_paths:
        names = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
        assert {"page", "page_size"} <= names


@pytest.mark.django_db
def test_the_schema_is_served_without_a_token():
    response = APIClient().get("/api/v1/schema")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "Spil partner-API"
