"""The release documents (Sources/checkpoint-mcp/Distribution.swift) against the published schemas:
the MCP Bundle manifest (manifest_version 0.4) and the MCP Registry server.json (2025-12-11), plus the
promises the schemas cannot express (secrets marked, every setting mapped, the catalog's tools listed).
With CHECKPOINT_DIST=dist (after scripts/package) the files inside the release are checked the same way."""

import hashlib
import json
import os
import pathlib
import subprocess
import zipfile

import jsonschema
import pytest

SCHEMAS = pathlib.Path(__file__).resolve().parent / "schemas"
SECRETS = {"CHECKPOINT_CLIENT_SECRET", "CHECKPOINT_MOBILE_CLIENT_SECRET"}
DIGEST = "0" * 63 + "1"


def schema(name):
    return json.loads((SCHEMAS / name).read_text())


def validate(document, schema_name):
    validator = jsonschema.Draft7Validator(schema(schema_name), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def run(mcp_bin, env, *args):
    out = subprocess.run([mcp_bin, *args], capture_output=True, env=env, timeout=30)
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def manifest(mcp_bin, base_env):
    return run(mcp_bin, base_env, "--print-mcpb-manifest")


@pytest.fixture(scope="module")
def server_json(mcp_bin, base_env):
    return run(mcp_bin, base_env, "--print-server-json", DIGEST)


def test_schema_rejects_what_it_should():
    """The validator is live: a manifest without `server`, or with an unknown field, fails."""
    good = {"manifest_version": "0.4", "name": "x", "version": "1", "description": "d", "author": {"name": "a"},
            "server": {"type": "binary", "entry_point": "s", "mcp_config": {"command": "s"}}}
    validate(good, "mcpb-manifest-v0.4.schema.json")
    for bad in ({k: v for k, v in good.items() if k != "server"}, {**good, "surprise": 1},
                {**good, "user_config": {"k": {"type": "secret", "title": "t", "description": "d"}}}):
        with pytest.raises(AssertionError):
            validate(bad, "mcpb-manifest-v0.4.schema.json")
    with pytest.raises(AssertionError):
        validate({"name": "no-slash", "description": "d", "version": "1"}, "server.schema-2025-12-11.json")


def test_manifest_matches_the_mcpb_schema(manifest):
    validate(manifest, "mcpb-manifest-v0.4.schema.json")
    assert manifest["manifest_version"] == "0.4"
    assert manifest["server"]["type"] == "binary"


def test_manifest_maps_every_user_setting_to_its_variable(manifest):
    env = manifest["server"]["mcp_config"]["env"]
    keys = set(manifest["user_config"])
    assert set(env.values()) == {f"${{user_config.{k}}}" for k in keys}
    assert {"CHECKPOINT_CLIENT_ID", "CHECKPOINT_CLIENT_SECRET", "CHECKPOINT_REGION", "CHECKPOINT_MOBILE_CLIENT_ID",
            "CHECKPOINT_MOBILE_CLIENT_SECRET", "CHECKPOINT_MCP_READ_ONLY", "CHECKPOINT_MCP_TOOLSETS"} == set(env)
    for variable, placeholder in env.items():
        setting = manifest["user_config"][placeholder[len("${user_config."):-1]]
        assert setting.get("sensitive", False) == (variable in SECRETS), variable
    # A host leaves ${user_config.KEY} as literal text when KEY has neither a value nor a default
    # (mcpb's getMcpConfigForManifest), so every optional setting needs a default ("" = unset).
    for key, setting in manifest["user_config"].items():
        assert setting["required"] or "default" in setting, key
    assert manifest["user_config"]["read_only"] == {**manifest["user_config"]["read_only"], "type": "boolean", "default": True}
    assert manifest["server"]["mcp_config"]["command"] == "${__dirname}/" + manifest["server"]["entry_point"]


def test_manifest_lists_the_catalog(manifest, repo):
    catalog = json.loads((repo / "tools.json").read_text())["tools"]
    assert [t["name"] for t in manifest["tools"]] == [t["name"] for t in catalog]
    assert manifest["tools_generated"] is False
    assert manifest["prompts_generated"] is True  # the playbooks come from prompts/list


def test_manifest_platform_is_the_one_built_for(manifest):
    import sys
    assert manifest["compatibility"]["platforms"] == ["darwin" if sys.platform == "darwin" else "linux"]


def test_server_json_matches_the_registry_schema(server_json):
    validate(server_json, "server.schema-2025-12-11.json")
    package = server_json["packages"][0]
    assert package["registryType"] == "mcpb" and package["fileSha256"] == DIGEST
    assert package["transport"] == {"type": "stdio"}
    assert package["identifier"].endswith(".mcpb")


def test_server_json_marks_the_secrets(server_json, manifest):
    variables = {v["name"]: v for v in server_json["packages"][0]["environmentVariables"]}
    assert set(variables) == set(manifest["server"]["mcp_config"]["env"])
    assert {n for n, v in variables.items() if v["isSecret"]} == SECRETS
    assert server_json["version"] == manifest["version"]


@pytest.mark.parametrize("digest", ["abc", "0" * 63 + "G", "0" * 63 + "A"])
def test_server_json_refuses_a_bad_digest(mcp_bin, base_env, digest):
    out = subprocess.run([mcp_bin, "--print-server-json", digest], capture_output=True, env=base_env, timeout=30)
    assert out.returncode == 2 and out.stdout == b""


@pytest.mark.skipif(not os.environ.get("CHECKPOINT_DIST"), reason="set CHECKPOINT_DIST=dist after scripts/package")
def test_packaged_release_documents():
    """What scripts/package wrote: the bundle's manifest and the registry entry, with the bundle's real digest."""
    dist = pathlib.Path(os.environ["CHECKPOINT_DIST"])
    (bundle,) = dist.glob("*.mcpb")
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        entry = z.getinfo(manifest["server"]["entry_point"])
        assert entry.external_attr >> 16 & 0o111, "the bundled binary is not executable"
    validate(manifest, "mcpb-manifest-v0.4.schema.json")
    registry = json.loads((dist / "server.json").read_text())
    validate(registry, "server.schema-2025-12-11.json")
    assert registry["packages"][0]["fileSha256"] == hashlib.sha256(bundle.read_bytes()).hexdigest()
    assert registry["packages"][0]["identifier"].endswith("/" + bundle.name)
