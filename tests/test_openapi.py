"""The OpenAPI schema of the three dialects and its docs page."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generation_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.json"
    # --fail-on-warn turns any drf-spectacular warning or error into a failure.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    assert json.loads(out.read_text())["openapi"].startswith("3.")


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/stream/0/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_describes_every_dialect_but_not_the_catch_all_routes(schema):
    paths = schema["paths"]
    assert "/stream/0/posts/{post_id}" in paths
    assert "/v1/posts/{post_id}/bookmark" in paths
    assert "/api/v1/posts/{guid}/comments" in paths
    assert not [p for p in paths if ".*" in p or p.endswith("$")]


def test_error_responses_have_each_dialects_shape(schema):
    adn = schema["paths"]["/stream/0/posts/{post_id}"]["get"]["responses"]
    diaspora = schema["paths"]["/api/v1/posts/{guid}"]["get"]["responses"]
    assert adn["default"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EnvelopeError"
    )
    assert diaspora["default"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/DiasporaError"
    )
    meta = schema["components"]["schemas"]["EnvelopeErrorMeta"]
    assert {"code", "error_message", "error_id"} <= set(meta["required"])


def test_path_parameters_are_typed(schema):
    params = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/posts/{guid}/comments/{comment_guid}"]["delete"][
            "parameters"
        ]
    }
    assert params["guid"]["pattern"] == "^[0-9a-f]{32}$"
    user = next(
        p["schema"]
        for p in schema["paths"]["/stream/0/users/{user_id}"]["get"]["parameters"]
        if p["name"] == "user_id"
    )
    assert "me" in user["pattern"] and "@" in user["pattern"]


def test_operations_require_the_scope_their_view_declares(schema):
    follow = schema["paths"]["/stream/0/users/{user_id}/follow"]["post"]
    assert follow["security"] == [{"oauth2": ["follow"]}]
    global_stream = schema["paths"]["/stream/0/posts/stream/global"]["get"]
    assert {} in global_stream["security"]  # public: no token needed
    assert (
        "write_post"
        in schema["components"]["securitySchemes"]["oauth2"]["flows"]["authorizationCode"]["scopes"]
    )


def test_write_endpoints_describe_their_request_body(schema):
    body = schema["paths"]["/stream/0/posts"]["post"]["requestBody"]["content"]
    assert "text" in body["application/json"]["schema"]["properties"]
    comment = schema["paths"]["/api/v1/posts/{guid}/comments"]["post"]["requestBody"]
    assert "body" in comment["content"]["application/json"]["schema"]["properties"]


def test_docs_page_serves_swagger_ui_from_local_static_files(client):
    response = client.get("/stream/0/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "/stream/0/openapi.json" in html
    static = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert static.status_code == 200


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_has_a_summary_and_a_description(schema):
    missing = [
        (path, method)
        for path, method, operation in _operations(schema)
        if not operation.get("summary", "").strip() or not operation.get("description", "").strip()
    ]
    assert not missing
    post = schema["paths"]["/stream/0/posts/{post_id}"]["get"]
    assert post["summary"] == "Retrieve a post (App.net)"
    assert schema["paths"]["/v1/posts/{post_id}/bookmark"]["put"]["summary"].endswith("(pnut.io)")
    # Docstrings about routing are for the code's readers, not the API's callers.
    assert not [op for _, _, op in _operations(schema) if "rout" in op["description"]]


def test_tags_are_ordered_adn_pnut_diaspora_operations(schema):
    names = [tag["name"] for tag in schema["tags"]]
    dialects = [name.split(":")[0] for name in names]
    order = ["adn", "pnut", "diaspora", "operations"]
    assert sorted(set(dialects), key=order.index) == order
    assert dialects == sorted(dialects, key=order.index)
    used = {tag for _, _, op in _operations(schema) for tag in op["tags"]}
    assert used == set(names)
    by_path = [op["tags"][0].split(":")[0] for _, _, op in _operations(schema)]
    assert by_path == sorted(by_path, key=order.index)  # the paths follow the same order
    assert schema["paths"]["/healthz"]["get"]["tags"] == ["operations"]


def test_version_is_the_projects(schema):
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert schema["info"]["version"] == pyproject["project"]["version"]


def test_pnuts_own_endpoints_and_bodies_are_described(schema):
    paths = schema["paths"]
    assert "/v1/clients/{client_id}" in paths and "/v1/users/{user_id}/clients" in paths
    assert "delete" in paths["/v1/users/{user_id}/avatar"]
    assert "delete" not in paths["/stream/0/users/{user_id}/avatar"]

    def body(path, method):
        return paths[path][method]["requestBody"]["content"]["application/json"]["schema"]

    pnut_profile = body("/v1/users/{user_id}", "patch")["properties"]
    assert {"content", "raw", "timezone", "locale", "name"} == set(pnut_profile)
    assert "description" in body("/stream/0/users/{user_id}", "patch")["properties"]
    many = body("/v1/markers", "post")["oneOf"][1]
    assert (
        many["maxItems"] == 10 and "personal" in many["items"]["properties"]["name"]["description"]
    )


def test_places_and_search_operations_describe_their_own_parameters(schema):
    paths = schema["paths"]

    def names(path: str) -> dict[str, bool]:
        return {p["name"]: p["required"] for p in paths[path]["get"]["parameters"]}

    places = names("/stream/0/places/search")
    assert places["latitude"] and places["longitude"] and not places["radius"]
    assert "before_id" not in places
    assert "/stream/0/places/{factual_id}" in paths
    assert {"query", "order", "before_id"} <= set(names("/stream/0/posts/search"))
    assert "q" in names("/v1/posts/search")
    assert names("/api/v1/search/posts") == {"tag": True, "per_page": False}
    assert names("/api/v1/search/tags") == {"query": True}
    assert {"name_or_handle", "tag", "filter"} <= set(names("/api/v1/search/users"))
