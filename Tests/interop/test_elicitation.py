"""A person confirms writes in the client: MCP elicitation with the official Python SDK (mcp==2.3.0).

`legacy` answers a server-to-client `elicitation/create` request; `auto` and `2026-07-28` go through the
2026-07-28 `input_required` result and the SDK's retry with `inputResponses` + `requestState`. Each test
counts the write requests the simulator received: exactly one on accept, none otherwise.
"""

import json
import urllib.request
import uuid

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPError
from mcp_types import ElicitResult

from test_python_sdk import Recorder

GROUP_WRITE_SUFFIX = "/groups/"


def sim_stats(sim_url):
    with urllib.request.urlopen(sim_url + "/_sim/stats", timeout=30) as r:  # a hang bound only
        return json.load(r)


def group_creations(sim_url):
    """POSTs to the Mobile groups collection: one per create_mobile_group that executed."""
    return sum(n for route, n in sim_stats(sim_url)["requests"].items()
               if route.startswith("POST ") and route.endswith(GROUP_WRITE_SUFFIX))


def client(mcp_bin, env, mode, rec, **kwargs):
    params = StdioServerParameters(command=mcp_bin, args=[], env=env)
    return Client(params, mode=mode, cache=None, read_timeout_seconds=60, message_handler=rec.on_message, **kwargs)


class Asker:
    """An elicitation callback that answers every question the same way and keeps what it was asked."""

    def __init__(self, action, content=None):
        self.action, self.content, self.asked = action, content, []

    async def __call__(self, context, params):
        self.asked.append(params)
        return ElicitResult(action=self.action, content=self.content if self.action == "accept" else None)


def schema_of(question):
    """The requested schema as a dict (the SDK hands a dict in one era and a model in the other)."""
    s = question.requested_schema
    return s if isinstance(s, dict) else s.model_dump(by_alias=True, exclude_none=True)


def text_of(result):
    return "\n".join(getattr(b, "text", "") for b in result.content)


def create_group(mcp_bin, env, mode, asker, name):
    async def body():
        rec = Recorder()
        async with client(mcp_bin, env, mode, rec, elicitation_callback=asker) as c:
            result = await c.call_tool("create_mobile_group", {"name": name})
        assert rec.stray == []
        return result

    return anyio.run(body)


MODES = ["legacy", "auto", "2026-07-28"]


@pytest.mark.parametrize("mode", MODES)
def test_accept_executes_exactly_once(mcp_bin, server_env, sim_url, mode):
    before = group_creations(sim_url)
    asker = Asker("accept", {"confirm": True})
    name = f"interop-accept-{mode}-{uuid.uuid4().hex[:6]}"
    result = create_group(mcp_bin, server_env, mode, asker, name)
    assert not result.is_error, text_of(result)
    assert result.structured_content["status"] == "executed"
    assert result.structured_content["confirmed_by"] == "user"
    assert "confirmation_token" not in result.structured_content
    assert group_creations(sim_url) - before == 1
    assert len(asker.asked) == 1
    question = asker.asked[0]
    assert "create_mobile_group" in question.message and name in question.message
    assert list(schema_of(question)["properties"]) == ["confirm"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("answer", [("decline", None), ("cancel", None), ("accept", {"confirm": False})])
def test_decline_cancel_or_no_tick_change_nothing(mcp_bin, server_env, sim_url, mode, answer):
    before = group_creations(sim_url)
    asker = Asker(*answer)
    result = create_group(mcp_bin, server_env, mode, asker, f"interop-{answer[0]}-{uuid.uuid4().hex[:6]}")
    assert not result.is_error, text_of(result)
    assert result.structured_content["status"] == "declined"
    assert "Nothing was changed" in text_of(result)
    assert group_creations(sim_url) == before
    assert len(asker.asked) == 1


@pytest.mark.parametrize("mode", MODES)
def test_client_without_elicitation_keeps_the_token_flow(mcp_bin, server_env, sim_url, mode):
    async def body():
        rec = Recorder()
        name = f"interop-token-{uuid.uuid4().hex[:6]}"
        async with client(mcp_bin, server_env, mode, rec) as c:
            preview = await c.call_tool("create_mobile_group", {"name": name})
            assert preview.structured_content["status"] == "preview"
            token = preview.structured_content["confirmation_token"]
            before = group_creations(sim_url)
            done = await c.call_tool("create_mobile_group", {"name": name, "confirmation_token": token})
            assert done.structured_content["status"] == "executed"
            assert done.structured_content["confirmed_by"] == "token"
            assert group_creations(sim_url) - before == 1

    anyio.run(body)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
def test_confirm_human_refuses_clients_that_cannot_ask(mcp_bin, server_env, sim_url, mode):
    async def body():
        rec = Recorder()
        env = dict(server_env, CHECKPOINT_MCP_CONFIRM="human")
        before = group_creations(sim_url)
        async with client(mcp_bin, env, mode, rec) as c:
            refused = await c.call_tool("create_mobile_group", {"name": "interop-human"})
        assert refused.is_error
        assert "elicitation" in text_of(refused)
        assert group_creations(sim_url) == before

    anyio.run(body)


def test_decline_restore_requests_asks_for_the_reason_too(mcp_bin, server_env, sim_url):
    """The reason field carries the agent's reason as its default; the person may reword it."""

    async def body():
        rec = Recorder()
        asker = Asker("decline")
        async with client(mcp_bin, server_env, "2026-07-28", rec, elicitation_callback=asker) as c:
            found = await c.call_tool("search_entities", {"restore_requested": True, "quarantined": True, "duration": "30d", "limit": 5})
            ids = [e["entity_id"] for e in found.structured_content["entities"]]
            assert ids, "the simulated tenant has pending restore requests"
            result = await c.call_tool("decline_restore_requests", {"entity_ids": ids[:1], "reason": "Confirmed phishing"})
        assert result.structured_content["status"] == "declined"
        schema = schema_of(asker.asked[0])
        assert list(schema["properties"]) == ["confirm", "reason"]
        assert schema["properties"]["reason"]["default"] == "Confirmed phishing"

    anyio.run(body)


def test_2026_request_state_is_single_use(mcp_bin, server_env, sim_url):
    """Driving the loop by hand: the state answers once; replaying it executes nothing more."""

    async def body():
        rec = Recorder()
        asker = Asker("accept", {"confirm": True})
        name = f"interop-replay-{uuid.uuid4().hex[:6]}"
        async with client(mcp_bin, server_env, "2026-07-28", rec, elicitation_callback=asker) as c:
            first = await c.session.call_tool("create_mobile_group", {"name": name}, allow_input_required=True)
            assert first.result_type == "input_required"
            assert set(first.input_requests) == {"confirm"}
            state = first.request_state
            responses = {"confirm": ElicitResult(action="accept", content={"confirm": True})}
            before = group_creations(sim_url)
            done = await c.session.call_tool("create_mobile_group", {"name": name}, input_responses=responses,
                                             request_state=state, allow_input_required=True)
            assert done.structured_content["status"] == "executed"
            again = await c.session.call_tool("create_mobile_group", {"name": name}, input_responses=responses,
                                              request_state=state, allow_input_required=True)
            assert again.is_error and "already answered" in text_of(again)
            other = await c.session.call_tool("create_mobile_group", {"name": name + "-x"}, input_responses=responses,
                                              request_state="rs_" + "0" * 48, allow_input_required=True)
            assert other.is_error
            assert group_creations(sim_url) - before == 1

    anyio.run(body)
