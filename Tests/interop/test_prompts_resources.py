"""Prompts, completion and resources with the official Python SDK, in both eras (legacy handshake and 2026-07-28)."""

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPError
from mcp_types import PromptReference

from test_python_sdk import Recorder

MODES = ["legacy", "auto", "2026-07-28"]
PLAYBOOKS = {"phishing_triage", "investigate_email", "review_restore_requests", "review_risky_devices", "daily_brief"}
TEMPLATES = {"checkpoint://email/{entity_id}", "checkpoint://email/{entity_id}/raw", "checkpoint://event/{event_id}",
             "checkpoint://mobile/device/{device_id}", "checkpoint://task/{task_id}"}


def client(mcp_bin, env, mode, rec):
    params = StdioServerParameters(command=mcp_bin, args=[], env=env)
    return Client(params, mode=mode, cache=None, read_timeout_seconds=60, message_handler=rec.on_message)


def run(mcp_bin, env, mode, fn):
    async def body():
        rec = Recorder()
        async with client(mcp_bin, env, mode, rec) as c:
            out = await fn(c)
        assert rec.stray == []
        return out

    return anyio.run(body)


@pytest.mark.parametrize("mode", MODES)
def test_capabilities_and_prompts_list(mcp_bin, server_env, mode):
    async def fn(c):
        if mode != "2026-07-28":  # that mode learns no capabilities up front
            caps = c.server_capabilities
            assert caps.prompts is not None and caps.resources is not None and caps.completions is not None
        prompts = (await c.list_prompts()).prompts
        assert {p.name for p in prompts} == PLAYBOOKS
        triage = next(p for p in prompts if p.name == "phishing_triage")
        assert [(a.name, a.required) for a in triage.arguments] == [("sender", True), ("days", False), ("scope", False)]

    run(mcp_bin, server_env, mode, fn)


@pytest.mark.parametrize("mode", MODES)
def test_prompts_get_fills_in_the_arguments(mcp_bin, server_env, mode):
    async def fn(c):
        got = await c.get_prompt("phishing_triage", {"sender": "paypa1-secure.com", "days": "14"})
        text = got.messages[0].content.text
        assert '"sender_domain":"paypa1-secure.com"' in text and '"duration":"14d"' in text
        assert text.index("search_entities") < text.index("get_security_events") < text.index("get_entity_details")
        assert "only after the user agrees" in text
        with pytest.raises(MCPError) as bad:
            await c.get_prompt("phishing_triage", {"days": "400"})
        assert bad.value.code == -32602
        assert "sender" in bad.value.error.message and "days" in bad.value.error.message

    run(mcp_bin, server_env, mode, fn)


@pytest.mark.parametrize("mode", MODES)
def test_completion_for_prompt_arguments(mcp_bin, server_env, mode):
    async def fn(c):
        days = await c.complete(PromptReference(type="ref/prompt", name="phishing_triage"), {"name": "days", "value": "1"})
        assert days.completion.values == ["1", "14"]
        groups = await c.complete(PromptReference(type="ref/prompt", name="review_risky_devices"), {"name": "group", "value": ""})
        assert groups.completion.values, "the simulated tenant's Mobile groups"
        await c.call_tool("search_entities", {"duration": "7d", "limit": 20})
        senders = await c.complete(PromptReference(type="ref/prompt", name="phishing_triage"), {"name": "sender", "value": ""})
        assert senders.completion.values and all("@" not in v for v in senders.completion.values)

    run(mcp_bin, server_env, mode, fn)


@pytest.mark.parametrize("mode", MODES)
def test_resource_templates_links_and_read(mcp_bin, server_env, mode):
    async def fn(c):
        templates = (await c.list_resource_templates()).resource_templates
        assert {t.uri_template for t in templates} == TEMPLATES
        found = await c.call_tool("search_entities", {"duration": "7d", "limit": 30})
        links = [b for b in found.content if b.type == "resource_link"]
        assert 1 <= len(links) <= 10
        first = found.structured_content["entities"][0]["entity_id"]
        assert str(links[0].uri) == f"checkpoint://email/{first}"
        read = await c.read_resource(str(links[0].uri))
        details = await c.call_tool("get_entity_details", {"entity_id": first})
        assert read.contents[0].text == details.content[0].text
        # The raw message: the same bytes download_email embeds, as a message/rfc822 blob, then its summary.
        raw = await c.read_resource(f"checkpoint://email/{first}/raw")
        downloaded = await c.call_tool("download_email", {"entity_id": first})
        embedded = next(b for b in downloaded.content if b.type == "resource")
        assert raw.contents[0].mime_type == "message/rfc822"
        assert raw.contents[0].blob == embedded.resource.blob and len(raw.contents[0].blob) > 100
        assert raw.contents[1].text == downloaded.content[0].text
        with pytest.raises(MCPError) as missing:
            await c.read_resource("checkpoint://nothing/here")
        assert missing.value.code == (-32602 if c.protocol_version == "2026-07-28" else -32002)

    run(mcp_bin, server_env, mode, fn)
