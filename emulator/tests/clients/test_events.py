"""Events as backends receive them: an HTTP listener on a real socket,
subscribed to the SNS topic a configuration or queue notifies, gets the
SubscriptionConfirmation, then each matchmaking and placement event as
SNS posts it (text/plain, the x-amz-sns-* headers, the document as the
Message string), in the order the changes happened. The consumer code of
the AWS samples (parse the body, parse Message, read detail) runs on what
arrives. The emulators here run the matchmaker only when stepped."""

import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from test_matchmaking import FLEET_ARN, RULES, STEPPED, advance, player, step
from test_program import Emulator, http

TOPIC = "arn:aws:sns:us-west-2:123456789012:gamelift-events"
QUEUE_ARN = "arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/{}"
DUEL = {"name": "duel", "ruleLanguageVersion": "1.0",
        "playerAttributes": [{"name": "skill", "type": "number", "default": 10}],
        "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1}, {"name": "blue", "minPlayers": 1, "maxPlayers": 1}],
        "rules": [{"name": "Close", "type": "distance", "measurements": ["flatten(teams[*].players.attributes[skill])"],
                   "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))", "maxDistance": 50}]}


class Listener:
    """An HTTP endpoint as a backend runs one: records every POST, and
    answers each with the next status of `statuses` (then 200)."""

    def __init__(self):
        self.received = []
        self.statuses = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with listener.lock:
                    status = listener.statuses.pop(0) if listener.statuses else 200
                    listener.received.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body.decode(), "status": status})
                    listener.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=10):
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"{len(self.received)} messages arrived, not {count}: {self.types()}")
                self.arrived.wait(left)
            return list(self.received)

    def types(self):
        return [json.loads(m["body"]).get("Type") for m in self.received]

    def notifications(self):
        """The consumer code of the AWS samples: JSON.parse(body), then
        JSON.parse(body.Message)."""
        out = []
        for m in self.received:
            body = json.loads(m["body"])
            if body["Type"] == "Notification" and m["status"] == 200:
                out.append(json.loads(body["Message"]))
        return out

    def close(self):
        self.server.shutdown()


def subscribe(e, url, auto_confirm=True, topic=TOPIC):
    status, _, body = http(e.url, "/_emulator/sns/subscriptions",
                           {"TopicArn": topic, "Endpoint": url, "AutoConfirm": auto_confirm})
    assert status == 200, body
    return json.loads(body)["SubscriptionArn"]


@pytest.fixture
def world(tmp_path):
    e = Emulator(tmp_path, "--fleet", "fleet-match=10", *STEPPED)
    listener = Listener()
    yield e, e.client(), listener
    listener.close()
    if e.proc.poll() is None:
        e.stop()


def configuration(gl, acceptance=False, rules=DUEL, custom="tournament-7", timeout=60, name="duel"):
    gl.create_game_session_queue(Name=f"{name}-queue", Destinations=[{"DestinationArn": FLEET_ARN.format("fleet-match")}])
    gl.create_matchmaking_rule_set(Name=f"{name}-rules", RuleSetBody=json.dumps(rules))
    extra = {"AcceptanceTimeoutSeconds": 20} if acceptance else {}
    return gl.create_matchmaking_configuration(
        Name=name, RuleSetName=f"{name}-rules", RequestTimeoutSeconds=timeout, AcceptanceRequired=acceptance,
        GameSessionQueueArns=[QUEUE_ARN.format(f"{name}-queue")], NotificationTarget=TOPIC,
        CustomEventData=custom, **extra)["Configuration"]


def start(gl, ticket, pid, skill=10, name="duel"):
    gl.start_matchmaking(TicketId=ticket, ConfigurationName=name, Players=[{**player(pid, skill), "PlayerAttributes": {"skill": {"N": skill}}}])


def test_a_subscription_is_confirmed_before_any_notification_reaches_it(world):
    e, gl, listener = world
    arn = subscribe(e, listener.url, auto_confirm=False)
    configuration(gl)
    confirmation = listener.wait_for(1)[0]
    headers, body = confirmation["headers"], json.loads(confirmation["body"])
    assert headers["content-type"] == "text/plain; charset=UTF-8"
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert headers["x-amz-sns-topic-arn"] == TOPIC
    assert headers["x-amz-sns-message-id"] == body["MessageId"]
    assert "x-amz-sns-subscription-arn" not in headers
    assert body["Type"] == "SubscriptionConfirmation" and body["TopicArn"] == TOPIC
    assert body["Message"].startswith(f"You have chosen to subscribe to the topic {TOPIC}.")
    assert body["SubscribeURL"].startswith(f"{e.url}/_emulator/sns/confirm?")
    assert body["SignatureVersion"] == "1" and body["Signature"] and body["Token"]

    start(gl, "t-1", "player-1")
    step(e)
    # The event is published (the listing has it) but waits for confirmation.
    listing = json.loads(http(e.url, "/_emulator/events")[2])
    assert [ev["Document"]["detail"]["type"] for ev in listing["Events"]] == ["MatchmakingSearching"]
    time.sleep(0.5)
    assert len(listener.received) == 1
    with urllib.request.urlopen(body["SubscribeURL"]) as r:
        assert r.status == 200
        assert arn in r.read().decode()
    notification = listener.wait_for(2)[1]
    assert notification["headers"]["x-amz-sns-message-type"] == "Notification"
    assert notification["headers"]["x-amz-sns-subscription-arn"] == arn
    body = json.loads(notification["body"])
    assert body["UnsubscribeURL"].startswith(f"{e.url}/_emulator/sns/unsubscribe?")
    assert set(body) == {"Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion",
                         "Signature", "SigningCertURL", "UnsubscribeURL"}
    document = json.loads(body["Message"])
    assert document["detail"]["type"] == "MatchmakingSearching"


def envelope_ok(doc, config_arn):
    assert doc["version"] == "0" and doc["source"] == "aws.gamelift"
    assert doc["detail-type"] == "GameLift Matchmaking Event"
    assert doc["account"] == "123456789012" and doc["region"] == "us-west-2"
    assert doc["resources"] == [config_arn]
    assert len(doc["time"]) == 24 and doc["time"].endswith("Z") and doc["time"][19] == "."
    assert "gameSessionInfo" in doc["detail"] and "players" in doc["detail"]["gameSessionInfo"]
    assert doc["detail"]["customEventData"] == "tournament-7"


def test_a_whole_match_with_acceptance_arrives_in_order(world):
    e, gl, listener = world
    subscribe(e, listener.url)
    config = configuration(gl, acceptance=True)
    start(gl, "t-1", "player-1", 10)
    start(gl, "t-2", "player-2", 12)
    step(e)  # both search, and the match is proposed
    gl.accept_match(TicketId="t-1", PlayerIds=["player-1"], AcceptanceType="ACCEPT")
    gl.accept_match(TicketId="t-2", PlayerIds=["player-2"], AcceptanceType="ACCEPT")
    for _ in range(3):
        step(e)
    assert gl.describe_matchmaking(TicketIds=["t-1"])["TicketList"][0]["Status"] == "COMPLETED"
    listener.wait_for(7)
    docs = listener.notifications()
    kinds = [d["detail"]["type"] for d in docs]
    assert kinds == ["MatchmakingSearching", "MatchmakingSearching", "PotentialMatchCreated", "AcceptMatch",
                     "AcceptMatch", "AcceptMatchCompleted", "MatchmakingSucceeded"], kinds
    for d in docs:
        envelope_ok(d, config["ConfigurationArn"])
    searching = docs[0]["detail"]
    assert searching["tickets"][0]["ticketId"] == "t-1"
    assert searching["estimatedWaitMillis"] == "NOT_AVAILABLE"
    assert searching["gameSessionInfo"] == {"players": [{"playerId": "player-1"}]}
    potential = docs[2]["detail"]
    assert [t["ticketId"] for t in potential["tickets"]] == ["t-1", "t-2"]
    assert potential["acceptanceRequired"] is True and potential["acceptanceTimeout"] == 20
    assert potential["ruleEvaluationMetrics"] == [{"ruleName": "Close", "passedCount": 2, "failedCount": 0}]
    assert sorted(p["team"] for p in potential["gameSessionInfo"]["players"]) == ["blue", "red"]
    match_id = potential["matchId"]
    assert all(d["detail"]["matchId"] == match_id for d in docs[2:])
    assert docs[3]["detail"]["tickets"][0]["players"][0]["accepted"] is True
    assert docs[5]["detail"]["acceptance"] == "Accepted"
    succeeded = docs[6]["detail"]
    info = succeeded["gameSessionInfo"]
    ticket = gl.describe_matchmaking(TicketIds=["t-1"])["TicketList"][0]["GameSessionConnectionInfo"]
    assert info["gameSessionArn"] == ticket["GameSessionArn"]
    assert (info["ipAddress"], info["port"]) == (ticket["IpAddress"], ticket["Port"])
    assert isinstance(info["port"], int)
    sessions = {p["playerId"]: p["playerSessionId"] for p in info["players"]}
    assert sessions["player-1"] == ticket["MatchedPlayerSessions"][0]["PlayerSessionId"]
    assert all(p["playerSessionId"].startswith("psess-") and p["team"] for t in succeeded["tickets"] for p in t["players"])
    # Each message was delivered once, with a distinct id.
    ids = [json.loads(m["body"])["MessageId"] for m in listener.received]
    assert len(set(ids)) == len(ids)


def test_a_match_without_acceptance_and_the_listing_with_its_cursor(world):
    e, gl, listener = world
    subscribe(e, listener.url)
    configuration(gl, acceptance=False, custom="")
    start(gl, "t-1", "player-1")
    start(gl, "t-2", "player-2")
    for _ in range(3):
        step(e)
    listener.wait_for(4)
    docs = listener.notifications()
    kinds = [d["detail"]["type"] for d in docs]
    assert kinds == ["MatchmakingSearching", "MatchmakingSearching", "PotentialMatchCreated", "MatchmakingSucceeded"]
    assert docs[2]["detail"]["acceptanceRequired"] is False
    assert "customEventData" not in docs[2]["detail"]
    first = json.loads(http(e.url, "/_emulator/events?limit=2")[2])
    assert [ev["Seq"] for ev in first["Events"]] == [1, 2] and first["Next"] == 2
    rest = json.loads(http(e.url, f"/_emulator/events?since={first['Next']}")[2])
    # The listing has every document, those of a queue with no
    # NotificationTarget too (GameLift sends them to EventBridge).
    listed = [(ev["Document"]["detail"]["type"], ev["TopicArn"]) for ev in rest["Events"]]
    assert listed == [("PotentialMatchCreated", TOPIC), ("PlacementFulfilled", None), ("MatchmakingSucceeded", TOPIC)]
    status, _, body = http(e.url, "/_emulator/events?since=x")
    assert status == 400 and json.loads(body)["Message"] == "since must be a whole number"


def test_a_rejected_match_a_timed_out_and_a_cancelled_ticket(world):
    e, gl, listener = world
    subscribe(e, listener.url)
    configuration(gl, acceptance=True, timeout=120)
    start(gl, "t-1", "player-1")
    start(gl, "t-2", "player-2")
    step(e)
    gl.accept_match(TicketId="t-1", PlayerIds=["player-1"], AcceptanceType="ACCEPT")
    gl.accept_match(TicketId="t-2", PlayerIds=["player-2"], AcceptanceType="REJECT")
    step(e)
    # t-1 searches again; t-2 is cancelled by its player's rejection.
    gl.stop_matchmaking(TicketId="t-1")
    start(gl, "t-3", "player-3")
    step(e)
    advance(e, 121)
    listener.wait_for(10)
    docs = listener.notifications()
    kinds = [d["detail"]["type"] for d in docs]
    assert kinds[:4] == ["MatchmakingSearching", "MatchmakingSearching", "PotentialMatchCreated", "AcceptMatch"]
    completed = [d["detail"] for d in docs if d["detail"]["type"] == "AcceptMatchCompleted"]
    assert [c["acceptance"] for c in completed] == ["Rejected"]
    assert sorted(t["ticketId"] for t in completed[0]["tickets"]) == ["t-1", "t-2"]
    cancelled = {d["detail"]["tickets"][0]["ticketId"]: d["detail"] for d in docs if d["detail"]["type"] == "MatchmakingCancelled"}
    assert cancelled["t-2"]["reason"] == "Cancelled" and "rejected" in cancelled["t-2"]["message"]
    assert cancelled["t-1"]["message"] == "Cancelled by request."
    assert cancelled["t-1"]["ruleEvaluationMetrics"] == [{"ruleName": "Close", "passedCount": 0, "failedCount": 0}]
    timed_out = [d["detail"] for d in docs if d["detail"]["type"] == "MatchmakingTimedOut"]
    assert [t["tickets"][0]["ticketId"] for t in timed_out] == ["t-3"]
    assert timed_out[0]["reason"] == "TimedOut"
    assert timed_out[0]["message"] == "Removed from matchmaking due to timing out."


def placement_queue(gl, name, fleet="fleet-match", timeout=60):
    return gl.create_game_session_queue(
        Name=name, TimeoutInSeconds=timeout, Destinations=[{"DestinationArn": FLEET_ARN.format(fleet)}],
        NotificationTarget=TOPIC, CustomEventData="queue-data")["GameSessionQueue"]


def test_placements_fulfilled_timed_out_and_cancelled(world):
    e, gl, listener = world
    subscribe(e, listener.url)
    queue = placement_queue(gl, "main")
    assert queue["NotificationTarget"] == TOPIC and queue["CustomEventData"] == "queue-data"
    gl.start_game_session_placement(PlacementId="p-1", GameSessionQueueName="main", MaximumPlayerSessionCount=4,
                                    DesiredPlayerSessions=[{"PlayerId": "player-1"}])
    placed = gl.describe_game_session_placement(PlacementId="p-1")["GameSessionPlacement"]
    assert placed["Status"] == "FULFILLED"
    # A fleet with no room: placements wait, then time out or are stopped.
    http(e.url, "/_emulator/fleets", {"FleetId": "fleet-full", "Capacity": 0})
    placement_queue(gl, "full", fleet="fleet-full", timeout=10)
    gl.start_game_session_placement(PlacementId="p-2", GameSessionQueueName="full", MaximumPlayerSessionCount=4)
    gl.start_game_session_placement(PlacementId="p-3", GameSessionQueueName="full", MaximumPlayerSessionCount=4)
    gl.stop_game_session_placement(PlacementId="p-3")
    advance(e, 11)
    gl.describe_game_session_placement(PlacementId="p-2")
    listener.wait_for(3)
    docs = listener.notifications()
    by = {d["detail"]["placementId"]: d for d in docs}
    assert [d["detail"]["type"] for d in docs] == ["PlacementFulfilled", "PlacementCancelled", "PlacementTimedOut"]
    fulfilled = by["p-1"]
    assert fulfilled["detail-type"] == "GameLift Queue Placement Event"
    assert fulfilled["resources"] == [queue["GameSessionQueueArn"]]
    d = fulfilled["detail"]
    assert d["port"] == str(placed["Port"]) and isinstance(d["port"], str)
    assert d["gameSessionArn"] == placed["GameSessionArn"] and d["ipAddress"] == placed["IpAddress"]
    assert d["gameSessionRegion"] == "us-west-2" and d["customEventData"] == "queue-data"
    assert d["placedPlayerSessions"] == [{"playerId": "player-1",
                                          "playerSessionId": placed["PlacedPlayerSessions"][0]["PlayerSessionId"]}]
    assert set(by["p-2"]["detail"]) == {"type", "placementId", "startTime", "endTime", "customEventData"}
    assert set(by["p-3"]["detail"]) == {"type", "placementId", "startTime", "endTime", "customEventData"}


def failed_attempts(e):
    return json.loads(http(e.url, "/_emulator/sns/subscriptions")[2])["Subscriptions"][0]["FailedAttempts"]


def eventually(what, check, timeout=10):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_failing_listener_gets_each_message_again_with_its_id_then_it_is_dropped(world):
    e, gl, listener = world
    arn = subscribe(e, listener.url)
    placement_queue(gl, "main")
    listener.statuses = [500, 503]
    gl.start_game_session_placement(PlacementId="p-1", GameSessionQueueName="main", MaximumPlayerSessionCount=4)
    listener.wait_for(1)
    # The emulator has read the answer (and set the retry 20 s on) before
    # the clock moves; retries are 20 s apart on the emulator's clock.
    eventually("the first failure", lambda: failed_attempts(e) == 1)
    time.sleep(0.5)
    assert len(listener.received) == 1
    advance(e, 20)
    listener.wait_for(2)
    eventually("the second failure", lambda: failed_attempts(e) == 2)
    advance(e, 20)
    got = listener.wait_for(3)
    ids = {json.loads(m["body"])["MessageId"] for m in got}
    assert len(ids) == 1 and [m["status"] for m in got] == [500, 503, 200]
    # A listener that always fails: 1 attempt and 3 retries, then dropped.
    listener.statuses = [500] * 4
    gl.start_game_session_placement(PlacementId="p-2", GameSessionQueueName="main", MaximumPlayerSessionCount=4)
    listener.wait_for(4)
    for n in range(3):
        eventually("a failure", lambda n=n: failed_attempts(e) == 3 + n)
        advance(e, 20)
        listener.wait_for(5 + n)
    eventually("the last failure", lambda: failed_attempts(e) == 6)
    advance(e, 20)
    time.sleep(0.5)
    assert len(listener.received) == 7
    subs = json.loads(http(e.url, "/_emulator/sns/subscriptions")[2])["Subscriptions"]
    assert subs[0]["SubscriptionArn"] == arn
    assert (subs[0]["Delivered"], subs[0]["FailedAttempts"], subs[0]["Dropped"]) == (1, 6, 1)
    eventually("the WARN line", lambda: "an SNS message was dropped after 4 attempts" in e.log_text())
    # Deleting the subscription sends its UnsubscribeConfirmation.
    status, _, body = http(e.url, "/_emulator/sns/subscriptions", {"SubscriptionArn": arn}, method="DELETE")
    assert status == 200, body
    last = listener.wait_for(8)[-1]
    assert last["headers"]["x-amz-sns-message-type"] == "UnsubscribeConfirmation"
    assert json.loads(http(e.url, "/_emulator/sns/subscriptions")[2])["Subscriptions"] == []


def test_bad_subscriptions_are_refused_with_their_reason(world):
    e, _, _ = world
    for body, message in [
        ({"TopicArn": "topic", "Endpoint": "http://x"}, "TopicArn must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"),
        ({"TopicArn": TOPIC, "Endpoint": "ftp://x"}, "Endpoint must be an http:// URL of at most 2048 characters"),
        ({"TopicArn": TOPIC, "Endpoint": "http://" + "x" * 3000}, "Endpoint must be an http:// URL of at most 2048 characters"),
    ]:
        status, _, answer = http(e.url, "/_emulator/sns/subscriptions", body)
        assert status == 400 and json.loads(answer)["Message"] == message
    status, _, answer = http(e.url, "/_emulator/sns/subscriptions", {"TopicArn": TOPIC})
    assert status == 400 and json.loads(answer)["__type"] == "SerializationException"
    status, _, answer = http(e.url, "/_emulator/sns/confirm?SubscriptionArn=nope&Token=x")
    assert status == 400 or status == 404


def test_a_listener_that_is_down_counts_failed_attempts_and_holds_nothing_up(world):
    e, gl, _ = world
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    subscribe(e, f"http://127.0.0.1:{closed}/sns")
    placement_queue(gl, "main")
    gl.start_game_session_placement(PlacementId="p-1", GameSessionQueueName="main", MaximumPlayerSessionCount=4)
    eventually("a refused attempt", lambda: failed_attempts(e) == 1)
    # Requests go on as before; the message waits for its retry.
    assert gl.describe_game_session_placement(PlacementId="p-1")["GameSessionPlacement"]["Status"] == "FULFILLED"
    subs = json.loads(http(e.url, "/_emulator/sns/subscriptions")[2])["Subscriptions"]
    assert (subs[0]["Waiting"], subs[0]["Delivered"], subs[0]["Dropped"]) == (1, 0, 0)
