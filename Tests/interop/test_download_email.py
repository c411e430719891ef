"""`download_email` through the official MCP Python SDK, in every client mode: the embedded
message/rfc822 resource reaches the client byte for byte as the gateway (the simulator) serves it."""

import base64
import json
import urllib.request
import uuid

import pytest
from mcp import types

from test_python_sdk import MODES, Recorder, client, run

CAMPAIGN_SENDER = "billing@paypa1-secure.com"


def raw_from_gateway(sim_url, entity_id):
    """The message straight from the simulator (loopback only, made-up credentials)."""
    auth = urllib.request.Request(sim_url + "/auth/external", method="POST",
                                  data=json.dumps({"clientId": "sim-client-id", "accessKey": "sim-client-secret"}).encode(),
                                  headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(auth, timeout=20))["data"]["token"]
    get = urllib.request.Request(f"{sim_url}/app/hec-api/v1.0/download/entity/{entity_id}?original=false",
                                 headers={"Authorization": "Bearer " + token, "x-av-req-id": str(uuid.uuid4())})
    return urllib.request.urlopen(get, timeout=20).read()


@pytest.mark.parametrize("mode", MODES)
def test_download_email_embedded_resource_is_intact(mcp_bin, server_env, sim_url, mode):
    async def body():
        rec = Recorder()
        async with client(mcp_bin, server_env, mode, rec) as c:
            found = await c.call_tool("search_entities", {"sender": CAMPAIGN_SENDER, "limit": 1, "duration": "30d"})
            assert not found.is_error, found.content
            entity_id = found.structured_content["entities"][0]["entity_id"]
            result = await c.call_tool("download_email", {"entity_id": entity_id})
            assert not result.is_error, result.content
            embedded = [b for b in result.content if isinstance(b, types.EmbeddedResource)]
            assert len(embedded) == 1
            resource = embedded[0].resource
            assert isinstance(resource, types.BlobResourceContents)
            assert resource.mime_type == "message/rfc822"
            data = base64.b64decode(resource.blob)
            assert data == raw_from_gateway(sim_url, entity_id)
            assert result.structured_content["size_bytes"] == len(data)
            assert any(link["deceptive"] for link in result.structured_content["links"])
        assert rec.stray == []

    run(body)
