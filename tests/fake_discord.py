"""A loopback fake of Discord's REST API and gateway, enough for discord.py to log in and take interactions.

It listens on 127.0.0.1 only, records every REST request with its JSON body and
the time it arrived, and lets a test send gateway dispatches such as
INTERACTION_CREATE.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token-never-printed"
APP_ID = "1100000000000000001"
BOT_USER = {"id": APP_ID, "username": "showbot", "discriminator": "0", "avatar": None, "bot": True, "global_name": None}
GUILD_ID = "1200000000000000001"
CHANNEL = {"id": "1300000000000000001", "name": "general", "position": 0, "type": 0, "guild_id": GUILD_ID}
JSON = {"Content-Type": "application/json"}  # discord.py wants exactly this, no charset


@dataclass
class Recorded:
    method: str
    path: str
    body: object
    at: float


@dataclass
class FakeDiscord:
    token: str
    requests: list[Recorded] = field(default_factory=list)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    sent_at: dict[str, float] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1400000000000000001))
    _seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    bad_auth: int = 0
    forbidden_channels: set[str] = field(default_factory=set)  # posting there is refused (Missing Permissions)
    identifies: list[dict] = field(default_factory=list)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        await self._runner.cleanup()

    # --- REST -----------------------------------------------------------------------------

    def _reply(self, data: object, status: int = 200) -> web.Response:
        return web.Response(body=json.dumps(data).encode(), status=status, headers=JSON)

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body = await request.json() if request.can_read_body and request.content_type == "application/json" else None
        self.requests.append(Recorded(request.method, path, body, time.monotonic()))
        if request.headers.get("Authorization") not in (f"Bot {self.token}", None) and "/webhooks/" not in path:
            self.bad_auth += 1
            return self._reply({"message": "401: Unauthorized", "code": 0}, 401)
        if request.method == "GET" and path == "/users/@me":
            return self._reply(BOT_USER)
        if request.method == "GET" and path == "/oauth2/applications/@me":
            return self._reply(
                {
                    "id": APP_ID,
                    "name": "showbot",
                    "icon": None,
                    "description": "",
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": BOT_USER,
                    "verify_key": "0" * 64,
                    "flags": 0,
                    "summary": "",
                    "team": None,
                    "bot": BOT_USER,
                }
            )
        if request.method == "GET" and path == "/gateway/bot":
            return self._reply(
                {
                    "url": f"ws://127.0.0.1:{self.port}",
                    "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
                }
            )
        if request.method == "PUT" and path.endswith("/commands"):
            return self._reply(
                [
                    {"description": "", **c, "id": str(next(self._ids)), "application_id": APP_ID, "version": "1"}
                    for c in body or []
                ]  # Discord gives context menus an empty description
            )
        if request.method == "POST" and path.endswith("/callback"):
            interaction_id = path.split("/")[2]
            return self._reply(
                {
                    "interaction": {
                        "id": interaction_id,
                        "type": 2,
                        "response_message_loading": (body or {}).get("type") == 5,
                        "response_message_ephemeral": bool(((body or {}).get("data") or {}).get("flags", 0) & 64),
                    },
                    "resource": {"type": (body or {}).get("type", 4)},
                }
            )
        if path.startswith("/webhooks/"):
            return self._reply(self._message(body or {}))
        if request.method == "POST" and path.startswith("/channels/") and path.endswith("/messages"):
            if path.split("/")[2] in self.forbidden_channels:
                return self._reply({"message": "Missing Permissions", "code": 50013}, 403)
            return self._reply(self._message(body or {}, channel_id=path.split("/")[2]))
        return self._reply({"message": f"fake Discord has no route {request.method} {path}", "code": 0}, 404)

    def _message(self, body: dict, channel_id: str = CHANNEL["id"]) -> dict:
        return {
            "id": str(next(self._ids)),
            "channel_id": channel_id,
            "author": BOT_USER,
            "content": body.get("content", ""),
            "timestamp": "2026-11-21T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds", []),
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
            "components": body.get("components", []),
            **({"message_reference": body["message_reference"]} if "message_reference" in body else {}),
        }

    # --- gateway --------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif payload["op"] == 2:
                self.identifies.append(payload["d"])
                shard = payload["d"].get("shard", [0, 1])
                await self._dispatch(
                    ws,
                    "READY",
                    {
                        "v": 10,
                        "user": BOT_USER,
                        "guilds": [],
                        "session_id": "fake-session",
                        "resume_gateway_url": f"ws://127.0.0.1:{self.port}",
                        "shard": shard,
                        "application": {"id": APP_ID, "flags": 0},
                    },
                )
                self.identified.set()
        return ws

    async def _dispatch(self, ws: web.WebSocketResponse, event: str, data: dict) -> None:
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    def interaction(self, name: str, **options: object) -> dict:
        """An INTERACTION_CREATE payload for the slash command ``name``."""
        kinds = {str: 3, bool: 5, int: 4}
        return {
            "id": str(next(self._ids)),
            "application_id": APP_ID,
            "type": 2,
            "token": f"itoken-{next(self._ids)}",
            "version": 1,
            "attachment_size_limit": 8388608,
            "channel": CHANNEL,
            "channel_id": CHANNEL["id"],
            "guild_id": GUILD_ID,
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": "18432",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID},
            "context": 0,
            "data": {
                "id": "1",
                "name": name,
                "type": 1,
                "options": [{"name": k, "type": kinds[type(v)], "value": v} for k, v in options.items()],
            },
            "member": {
                "user": {
                    "id": "1500000000000000001",
                    "username": "fan",
                    "discriminator": "0",
                    "avatar": None,
                    "global_name": "Fan",
                },
                "roles": [],
                "flags": 0,
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "permissions": "2048",
            },
        }

    def user_message(self, content: str, user_id: str = "1500000000000000002") -> dict:
        """A message a member wrote in the channel (for message commands)."""
        author = {"id": user_id, "username": "asker", "discriminator": "0", "avatar": None, "global_name": "Asker"}
        return {**self._message({"content": content}), "author": author}

    def message_command(self, name: str, target: dict) -> dict:
        """An INTERACTION_CREATE payload for the message command ``name`` on the message ``target``."""
        payload = self.interaction(name)
        payload["data"] = {
            "id": "2",
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        return payload

    def component(self, custom_id: str, message: dict, user_id: str = "1500000000000000001") -> dict:
        """An INTERACTION_CREATE payload for a click on the button ``custom_id`` under ``message``."""
        payload = self.interaction("-")
        payload["type"] = 3
        payload["data"] = {"custom_id": custom_id, "component_type": 2}
        payload["message"] = message
        payload["member"]["user"]["id"] = user_id
        return payload

    async def send_interaction(self, payload: dict) -> None:
        self.sent_at[payload["id"]] = time.monotonic()
        await self._dispatch(self._sockets[-1], "INTERACTION_CREATE", payload)

    def callbacks(self) -> dict[str, Recorded]:
        """The first response to each interaction, by interaction id."""
        out: dict[str, Recorded] = {}
        for r in self.requests:
            if r.method == "POST" and r.path.endswith("/callback"):
                out.setdefault(r.path.split("/")[2], r)
        return out

    def followups(self, token: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith("/webhooks/") and f"/{token}" in r.path]
