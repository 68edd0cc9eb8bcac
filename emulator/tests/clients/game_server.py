"""A game server that speaks Amazon GameLift's server SDK 5 protocol exactly
as the SDK's sources send it, for the emulator's tests.

Read in the Go SDK 5.6.0 (github.com/amazon-gamelift/amazon-gamelift-servers-go-server-sdk):

- the handshake (server/internal/websocket_client.go): the endpoint URL with
  the query parameters Authorization, ComputeId, FleetId, IdempotencyToken,
  pID, sdkLanguage, sdkVersion, sorted by key (Go's url.Values.Encode);
- every request (model/request/*.go): a JSON text frame with Action and a
  fresh RequestId (a UUID), its fields flat, empty strings and zero numbers
  left out (omitempty), LogPaths null when the game gives none;
- the answers (model/message/message.go): matched by RequestId; a
  StatusCode other than 200 is an error, with ErrorMessage; the SDK waits
  6 s for ActivateServerProcess and 20 s for any other request;
- heartbeats (server/server_state.go): one right after ProcessReady is
  answered, then every 60 s plus or minus up to 10 s, HealthStatus being
  what OnHealthCheck says;
- the pushes (model/message/*.go): CreateGameSession (OnStartGameSession),
  UpdateGameSession (OnUpdateGameSession), TerminateProcess
  (OnProcessTerminate), RefreshConnection (connect to the given endpoint
  with the given token and a new IdempotencyToken, drop the old connection
  5 s later);
- the connection's life: a close with 1000 or 1001 stops the SDK for good;
  any other close, or a dropped connection, makes it connect again at once
  with the same pID, token and IdempotencyToken, without a second
  ActivateServerProcess; Destroy() drops the TCP connection without a
  close frame.

Use it as a library (GameServer, from the tests) or run it as a program
(`python3 game_server.py --auto`), which reads the GAMELIFT_SDK_*
variables the emulator sets for the processes it launches, becomes ready,
activates every session it is given, and on TerminateProcess calls
ProcessEnding and exits.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import ssl
import sys
import threading
import urllib.parse
import uuid

import websockets
from websockets.asyncio.client import connect

SDK_VERSION = "5.6.0"
SDK_LANGUAGE = "Go"
ACTIVATE_TIMEOUT = 6.0
SERVICE_CALL_TIMEOUT = 20.0


class SdkError(Exception):
    """A request the service answered with a StatusCode other than 200."""

    def __init__(self, status, message, reply):
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.reply = reply


class HandshakeRefused(Exception):
    """The service refused the handshake (HTTP 403, the C++ SDK's WEBSOCKET_CONNECT_FAILURE_FORBIDDEN)."""

    def __init__(self, status, body):
        super().__init__(f"handshake refused: {status} {body}")
        self.status = status
        self.body = body


def handshake_url(url, fleet_id, host_id, process_id, auth_token, idempotency_token):
    """The URL the SDK dials: the endpoint's path kept, its query replaced by
    the SDK's parameters, sorted by key."""
    parts = urllib.parse.urlsplit(url)
    query = {
        "Authorization": auth_token,
        "ComputeId": host_id,
        "FleetId": fleet_id,
        "IdempotencyToken": idempotency_token,
        "pID": process_id,
        "sdkLanguage": SDK_LANGUAGE,
        "sdkVersion": SDK_VERSION,
    }
    encoded = urllib.parse.urlencode(sorted(query.items()))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, encoded, ""))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GameServer:
    """One server process. Its methods are the SDK's calls, made from any
    thread; the connection runs on an event loop of its own."""

    def __init__(
        self,
        url,
        fleet_id,
        host_id,
        process_id,
        auth_token,
        heartbeat_interval=60.0,
        heartbeat_jitter=10.0,
        health=True,
        auto_activate=True,
        on_process_terminate=None,
        refresh_drop_delay=5.0,
        tls=None,
    ):
        self.url = url
        # wss:// is verified as the Go SDK does: the system's roots, or the
        # file SSL_CERT_FILE names.
        if tls is None and url.startswith("wss://"):
            tls = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE"))
        self.tls = tls
        self.fleet_id = fleet_id
        self.host_id = host_id
        self.process_id = process_id
        self.auth_token = auth_token
        self.idempotency_token = str(uuid.uuid4())
        self.heartbeat_interval = heartbeat_interval
        self.heartbeat_jitter = heartbeat_jitter
        self.health = health
        self.auto_activate = auto_activate
        self.on_process_terminate = on_process_terminate
        self.refresh_drop_delay = refresh_drop_delay
        self.game_session_id = None
        self.game_session = None
        self.pushes = []
        self.connections = 0
        self.stopped = False
        self.close_codes = []
        self.heartbeats_sent = 0
        self._ws = None
        self._pending = {}
        self._ready = False
        self._heartbeat_task = None
        self._push_event = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    # --- plumbing -------------------------------------------------------

    def _run(self, coro, timeout=30):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _dial(self, url, token, idempotency):
        target = handshake_url(url, self.fleet_id, self.host_id, self.process_id, token, idempotency)
        try:
            ws = await connect(
                target, max_size=None, open_timeout=10, compression=None, ping_interval=None, ssl=self.tls
            )
        except websockets.exceptions.InvalidStatus as e:
            raise HandshakeRefused(e.response.status_code, e.response.body.decode(errors="replace")) from None
        self.connections += 1
        return ws

    async def _connect(self):
        if self._push_event is None:
            self._push_event = asyncio.Condition()
        self._ws = await self._dial(self.url, self.auth_token, self.idempotency_token)
        self._loop.create_task(self._read(self._ws))

    async def _read(self, ws):
        try:
            async for message in ws:
                await self._on_frame(message)
        except websockets.exceptions.ConnectionClosed:
            pass
        code = ws.close_code
        if ws is not self._ws:
            return  # an older connection, replaced
        self.close_codes.append(code)
        if code in (1000, 1001) or self.stopped:
            self.stopped = True
            self._fail_pending(ConnectionError(f"the service closed the connection ({code})"))
            if self._heartbeat_task:
                self._heartbeat_task.cancel()
            return
        # Any other close: connect again at once, as the SDK does.
        try:
            self._ws = await self._dial(self.url, self.auth_token, self.idempotency_token)
            self._loop.create_task(self._read(self._ws))
        except Exception as e:  # noqa: BLE001 - the SDK logs and gives up
            self.stopped = True
            self._fail_pending(e)

    def _fail_pending(self, error):
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)
        self._pending.clear()

    async def _on_frame(self, message):
        frame = json.loads(message)
        request_id = frame.get("RequestId", "")
        if request_id and request_id in self._pending:
            self._pending.pop(request_id).set_result(frame)
            return
        if request_id or frame.get("StatusCode") != 200:
            return  # the SDK drops what is neither a reply nor a push
        action = frame.get("Action")
        async with self._push_event:
            self.pushes.append(frame)
            self._push_event.notify_all()
        if action == "CreateGameSession":
            self.game_session_id = frame["GameSessionId"]
            self.game_session = frame
            if self.auto_activate:
                self._loop.create_task(self._call({"Action": "ActivateGameSession", "GameSessionId": self.game_session_id}))
        elif action == "UpdateGameSession":
            self.game_session = frame["GameSession"]
        elif action == "TerminateProcess":
            if self.on_process_terminate is not None:
                self._loop.call_soon_threadsafe(self.on_process_terminate, self)
            else:
                # Without OnProcessTerminate the SDK ends the process itself.
                self._loop.create_task(self._end_and_destroy())
        elif action == "RefreshConnection":
            self._loop.create_task(self._refresh(frame["RefreshConnectionEndpoint"], frame["AuthToken"]))

    async def _end_and_destroy(self):
        try:
            await self._call({"Action": "TerminateServerProcess"})
        finally:
            self._destroy()

    async def _refresh(self, endpoint, token):
        old = self._ws
        self.url, self.auth_token = endpoint, token
        self.idempotency_token = str(uuid.uuid4())
        self._ws = await self._dial(self.url, self.auth_token, self.idempotency_token)
        self._loop.create_task(self._read(self._ws))
        await asyncio.sleep(self.refresh_drop_delay)
        if old is not None and old.transport is not None:
            old.transport.abort()

    async def _call(self, frame):
        """Sends a request as the SDK builds it and waits for its answer."""
        frame = {"Action": frame["Action"], "RequestId": str(uuid.uuid4()), **{k: v for k, v in frame.items() if k != "Action"}}
        timeout = ACTIVATE_TIMEOUT if frame["Action"] == "ActivateServerProcess" else SERVICE_CALL_TIMEOUT
        future = self._loop.create_future()
        self._pending[frame["RequestId"]] = future
        await self._ws.send(json.dumps(frame))
        reply = await asyncio.wait_for(future, timeout)
        if reply.get("StatusCode") != 200:
            raise SdkError(reply.get("StatusCode"), reply.get("ErrorMessage"), reply)
        return reply

    async def _heartbeats(self):
        while not self.stopped:
            try:
                await self._call({"Action": "HeartbeatServerProcess", "HealthStatus": self.health})
                self.heartbeats_sent += 1
            except Exception:  # noqa: BLE001 - the SDK logs a failed heartbeat
                pass
            jitter = random.uniform(-self.heartbeat_jitter, self.heartbeat_jitter)
            await asyncio.sleep(max(0.05, self.heartbeat_interval + jitter))

    def _destroy(self):
        """Destroy(): the TCP connection dropped, no close frame."""
        self.stopped = True
        if self._heartbeat_task:
            self._heartbeat_task.cancel()
        if self._ws is not None and self._ws.transport is not None:
            self._ws.transport.abort()

    # --- the SDK's calls ----------------------------------------------------

    def init_sdk(self):
        self._run(self._connect())

    def process_ready(self, port, log_paths=None):
        frame = {"Action": "ActivateServerProcess", "SdkVersion": SDK_VERSION, "SdkLanguage": SDK_LANGUAGE, "LogPaths": log_paths}
        if port:
            frame["Port"] = port
        reply = self._run(self._call(frame))
        self._ready = True

        async def start():
            self._heartbeat_task = self._loop.create_task(self._heartbeats())

        self._run(start())
        return reply

    def activate_game_session(self, game_session_id=None):
        return self._run(self._call({"Action": "ActivateGameSession", "GameSessionId": game_session_id or self.game_session_id}))

    def update_player_session_creation_policy(self, policy, game_session_id=None):
        return self._run(
            self._call(
                {
                    "Action": "UpdatePlayerSessionCreationPolicy",
                    "GameSessionId": game_session_id or self.game_session_id,
                    "PlayerSessionPolicy": policy,
                }
            )
        )

    def accept_player_session(self, player_session_id, game_session_id=None):
        return self._run(
            self._call(
                {
                    "Action": "AcceptPlayerSession",
                    "GameSessionId": game_session_id or self.game_session_id,
                    "PlayerSessionId": player_session_id,
                }
            )
        )

    def remove_player_session(self, player_session_id, game_session_id=None):
        return self._run(
            self._call(
                {
                    "Action": "RemovePlayerSession",
                    "GameSessionId": game_session_id or self.game_session_id,
                    "PlayerSessionId": player_session_id,
                }
            )
        )

    def describe_player_sessions(self, **fields):
        frame = {"Action": "DescribePlayerSessions"}
        frame.update({k: v for k, v in fields.items() if v})  # omitempty
        return self._run(self._call(frame))

    def start_match_backfill(self, configuration_arn, players, ticket_id="", game_session_arn=None):
        return self._run(
            self._call(
                {
                    "Action": "StartMatchBackfill",
                    "GameSessionArn": game_session_arn or self.game_session_id,
                    "MatchmakingConfigurationArn": configuration_arn,
                    "TicketId": ticket_id,
                    "Players": players,
                }
            )
        )

    def stop_match_backfill(self, configuration_arn, ticket_id, game_session_arn=None):
        return self._run(
            self._call(
                {
                    "Action": "StopMatchBackfill",
                    "GameSessionArn": game_session_arn or self.game_session_id,
                    "MatchmakingConfigurationArn": configuration_arn,
                    "TicketId": ticket_id,
                }
            )
        )

    def get_compute_certificate(self):
        return self._run(self._call({"Action": "GetComputeCertificate"}))

    def get_fleet_role_credentials(self, role_arn, role_session_name=""):
        frame = {"Action": "GetFleetRoleCredentials", "RoleArn": role_arn}
        if role_session_name:
            frame["RoleSessionName"] = role_session_name
        return self._run(self._call(frame))

    def process_ending(self):
        reply = self._run(self._call({"Action": "TerminateServerProcess"}))
        if self._heartbeat_task:
            self._loop.call_soon_threadsafe(self._heartbeat_task.cancel)
        return reply

    def destroy(self):
        self._loop.call_soon_threadsafe(self._destroy)

    def drop_connection(self):
        """The network drops the connection (no close frame): the SDK connects again."""

        async def drop():
            self._ws.transport.abort()

        self._run(drop())

    def send_raw(self, data, timeout=5):
        """Sends `data` as it is (text, or bytes as a binary frame) and
        answers the next frame that is no push, or None."""

        async def send():
            before = len(self.pushes)
            queue = asyncio.Queue()
            original = self._on_frame

            async def capture(message):
                frame = json.loads(message)
                if frame.get("RequestId") in self._pending:
                    await original(message)  # the answer to one of our own requests
                    return
                if frame.get("RequestId", "") == "" and frame.get("StatusCode") == 200 and frame.get("Action") in (
                    "CreateGameSession",
                    "UpdateGameSession",
                    "TerminateProcess",
                    "RefreshConnection",
                ):
                    await original(message)
                    return
                await queue.put(frame)

            self._on_frame = capture
            try:
                await self._ws.send(data)
                return await asyncio.wait_for(queue.get(), timeout)
            except (asyncio.TimeoutError, websockets.exceptions.ConnectionClosed):
                return None
            finally:
                self._on_frame = original
                del before

        return self._run(send(), timeout=timeout + 5)

    def wait_for_push(self, action, timeout=10, after=0):
        """The first push of `action` from the `after`-th on, waiting for it."""

        async def wait():
            async with self._push_event:
                await asyncio.wait_for(
                    self._push_event.wait_for(lambda: any(p["Action"] == action for p in self.pushes[after:])),
                    timeout,
                )
                return next(p for p in self.pushes[after:] if p["Action"] == action)

        return self._run(wait(), timeout=timeout + 5)

    def wait_closed(self, timeout=10):
        async def wait():
            while not self.stopped:
                await asyncio.sleep(0.02)

        self._run(wait(), timeout=timeout + 5)

    def close(self):
        """Ends the test double: drops the connection and stops its loop."""

        async def shut():
            self._destroy()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        try:
            self._run(shut(), timeout=5)
        except Exception:  # noqa: BLE001 - closing what may be closed
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auto", action="store_true", help="read GAMELIFT_SDK_*, become ready, host sessions, end on TerminateProcess")
    parser.add_argument("--port", type=int, default=0, help="the game port to declare (default: a free one)")
    parser.add_argument("--heartbeat-interval", type=float, default=60.0)
    args = parser.parse_args()
    if not args.auto:
        parser.error("only --auto is a program; import GameServer for the rest")
    ended = threading.Event()

    def on_terminate(server):
        def end():
            try:
                server.process_ending()
            finally:
                server.destroy()
                ended.set()

        threading.Thread(target=end, daemon=True).start()

    server = GameServer(
        os.environ["GAMELIFT_SDK_WEBSOCKET_URL"],
        os.environ["GAMELIFT_SDK_FLEET_ID"],
        os.environ["GAMELIFT_SDK_HOST_ID"],
        os.environ["GAMELIFT_SDK_PROCESS_ID"],
        os.environ["GAMELIFT_SDK_AUTH_TOKEN"],
        heartbeat_interval=args.heartbeat_interval,
        on_process_terminate=on_terminate,
    )
    server.init_sdk()
    port = args.port or free_port()
    server.process_ready(port, log_paths=["/tmp/game.log"])
    print(f"ready on port {port} as process {server.process_id}", flush=True)
    while not ended.wait(0.2):
        if server.stopped:
            break
    print("ended", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
