"""When a token is used, kept, refetched or refused, to the second: `Tokens` on a fake wall clock, and what the
stores keep and hand back. No sockets; what is asserted is what a caller sees (the token sent, a fetch or none).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from pan123_oss import FileTokenStore, MemoryTokenStore, Token
from pan123_oss._policy import SHORT_LIVED_MARGIN
from pan123_oss._stores._tokens import Tokens, token_from_entry
from pan123_oss.testing import FakeClock

MARGIN = 300.0


def tokens(clock: FakeClock, store: MemoryTokenStore | None = None, static: str | None = None) -> Tokens:
    return Tokens(static=static, client_id=None if static else "cid", store=store or MemoryTokenStore(),
                  wall_clock=clock.time, refresh_margin=MARGIN, scope="https://svc")  # fmt: skip


# Stored entries.


@pytest.mark.parametrize(
    "entry",
    [
        None,
        ["tok", 1.0],
        {"accessToken": 5, "expiresAt": 1.0},
        {"accessToken": "tok\nX: 1", "expiresAt": 1.0},
        {"accessToken": "tok", "expiresAt": "1"},
        {"accessToken": "tok", "expiresAt": True},
        {"expiresAt": 1.0},
        {"accessToken": "tok"},
    ],
)
def test_a_damaged_or_planted_entry_is_no_token(entry: object) -> None:
    assert token_from_entry(entry) is None


def test_a_stored_entry_reads_as_a_token_with_a_float_expiry() -> None:
    token = token_from_entry({"accessToken": "tok", "expiresAt": 17})
    assert token == Token("tok", 17.0) and isinstance(token.expires_at, float)


# Tokens: which token a call gets.


def test_a_static_token_is_always_the_one_used() -> None:
    state = tokens(FakeClock(), static="static-tok")
    assert state.ready(None) == "static-tok"
    assert state.ready("static-tok") == "static-tok"  # nothing to refresh to
    assert state.can_refresh is False and state.key is None


def test_a_fetched_token_serves_until_the_margin_before_it_expires() -> None:
    clock = FakeClock()
    state = tokens(clock)
    assert state.can_refresh is True and state.key == "cid https://svc"
    assert state.ready(None) is None  # nothing yet: fetch
    assert state.keep(Token("tok-1", clock.time() + 3600.0)) == "tok-1"
    assert state.fetches == 1
    assert state.ready(None) == "tok-1"
    clock.advance(3600.0 - MARGIN - 0.5)
    assert state.ready(None) == "tok-1"
    clock.advance(0.5)  # exactly the margin before expiry: time for a new one
    assert state.ready(None) is None


def test_a_token_the_server_rejected_is_never_handed_out_again() -> None:
    clock = FakeClock()
    state = tokens(clock)
    state.keep(Token("tok-1", clock.time() + 3600.0))
    assert state.ready("tok-1") is None
    assert state.ready("tok-0") == "tok-1"


def test_a_token_that_arrives_with_less_life_than_the_margin_is_kept_until_just_before_it_expires() -> None:
    clock = FakeClock()
    state = tokens(clock)
    state.keep(Token("short", clock.time() + MARGIN))  # exactly the margin: short-lived
    assert state.ready(None) == "short"
    clock.advance(MARGIN - SHORT_LIVED_MARGIN - 0.5)
    assert state.ready(None) == "short"
    clock.advance(0.5)
    assert state.ready(None) is None
    assert SHORT_LIVED_MARGIN == 10.0


def test_a_token_with_more_life_than_the_margin_is_not_short_lived() -> None:
    clock = FakeClock()
    state = tokens(clock)
    state.keep(Token("long", clock.time() + MARGIN + 1.0))
    clock.advance(1.0)
    assert state.ready(None) is None  # at the margin: refetched, not kept to the last 10 s


def test_a_token_another_process_saved_is_taken_and_cached() -> None:
    clock = FakeClock()
    store = MemoryTokenStore()
    state = tokens(clock, store)
    assert state.from_store(None) is None
    store.save("cid https://svc", Token("theirs", clock.time() + 3600.0))
    assert state.ready(None) is None  # the lock-free path does not read the store
    assert state.from_store("theirs") is None  # unless it is the one just rejected
    assert state.from_store(None) == "theirs"
    assert state.ready(None) == "theirs"
    assert state.fetches == 0
    assert state.describe("theirs") == Token("theirs", clock.time() + 3600.0)


def test_an_expiring_token_in_the_store_is_not_taken() -> None:
    clock = FakeClock()
    store = MemoryTokenStore()
    store.save("cid https://svc", Token("old", clock.time() + MARGIN))
    assert tokens(clock, store).from_store(None) is None


def test_a_token_kept_is_saved_under_the_client_and_service() -> None:
    clock = FakeClock()
    store = MemoryTokenStore()
    tokens(clock, store).keep(Token("tok-1", 5e9))
    assert store.load("cid https://svc") == Token("tok-1", 5e9)
    assert repr(store) == "MemoryTokenStore(client_ids=['cid https://svc'])"


def test_a_token_it_did_not_fetch_is_described_as_never_expiring() -> None:
    state = tokens(FakeClock(), static="static-tok")
    assert state.describe("static-tok") == Token("static-tok", math.inf)


# The file store.


def test_the_file_store_keeps_other_clients_entries_when_it_saves(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    store.save("a svc1", Token("ta", 1.0))
    store.save("b svc1", Token("tb", 2.0))
    store.save("a svc1", Token("ta2", 3.0))
    assert json.loads(path.read_text()) == {
        "a svc1": {"accessToken": "ta2", "expiresAt": 3.0},
        "b svc1": {"accessToken": "tb", "expiresAt": 2.0},
    }


def test_forgetting_a_client_drops_its_tokens_for_every_service_and_no_other(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    for key in ("a svc1", "a svc2", "ab svc1", "b svc1"):
        store.save(key, Token("t-" + key, 1.0))
    assert store.forget("a") == 2
    assert sorted(json.loads(path.read_text())) == ["ab svc1", "b svc1"]
    before = path.stat().st_mtime_ns
    assert store.forget("a") == 0
    assert path.stat().st_mtime_ns == before  # nothing to drop: the file is left alone


def test_a_file_store_made_where_no_folder_can_be_says_which_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = FileTokenStore(blocker / "tokens.json")
    with pytest.raises(OSError, match=r"the token cache .*tokens.json cannot be used"):
        store.save("a", Token("t", 1.0))
    assert repr(store) == f"FileTokenStore({str(blocker / 'tokens.json')!r})"
