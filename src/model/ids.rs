//! The id patterns of the model, each with a matcher that needs no regex
//! engine, and [`fleet_id_of`].

/// The pattern the model sets for `GameSessionId` in requests.
pub const GAME_SESSION_ID_PATTERN: &str = "^[a-zA-Z0-9:/-]+$";

/// Whether `id` matches `^[a-zA-Z0-9:/-]+$`.
pub(crate) fn is_game_session_id(id: &str) -> bool {
    // Bitwise, not lazy, operators keep every test branch-free.
    #[allow(clippy::needless_bitwise_bool)]
    fn allowed(b: u8) -> bool {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        letter | digit | (b == b':') | (b == b'/') | (b == b'-')
    }
    // Ids are checked on every update and run to hundreds of bytes; a fold
    // without early exit, of branch-free tests, lets the compiler check
    // many bytes per instruction.
    !id.is_empty() && id.bytes().fold(true, |ok, b| ok & allowed(b))
}

/// The pattern of `IdStringModel` (`GameSessionId`, `IdempotencyToken` of a create).
pub const ID_STRING_PATTERN: &str = "^[a-zA-Z0-9-]+$";
/// The pattern of a fleet location.
pub const LOCATION_PATTERN: &str = "^[A-Za-z0-9\\-]+$";
/// The pattern of a fleet id or fleet ARN in a request.
pub const FLEET_ID_OR_ARN_PATTERN: &str =
    "^[a-z]*fleet-[a-zA-Z0-9\\-]+$|^arn:.*:[a-z]*fleet\\/[a-z]*fleet-[a-zA-Z0-9\\-]+$";
/// The pattern of an alias id or alias ARN in a request.
pub const ALIAS_ID_OR_ARN_PATTERN: &str = "^(alias-\\S+|arn:.*:alias\\/alias-\\S+)$";

fn all_bytes(s: &str, allowed: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(allowed)
}

/// Whether `s` matches `^[a-zA-Z0-9-]+$`.
pub(crate) fn is_id_string(s: &str) -> bool {
    all_bytes(s, |b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Whether `s` matches `^[A-Za-z0-9\-]+$`.
pub(crate) fn is_location(s: &str) -> bool {
    is_id_string(s)
}

/// Whether `s` matches `^[a-z]*fleet-[a-zA-Z0-9\-]+$`.
pub(crate) fn is_fleet_id(s: &str) -> bool {
    // `[a-z]*fleet` is a run of lowercase letters ending in "fleet"; the
    // first byte after the run must be the '-'.
    let run = s.bytes().take_while(u8::is_ascii_lowercase).count();
    s[..run].ends_with("fleet") && s[run..].strip_prefix('-').is_some_and(is_id_string)
}

/// Whether `s` matches the fleet id or fleet ARN pattern.
pub(crate) fn is_fleet_id_or_arn(s: &str) -> bool {
    if is_fleet_id(s) {
        return true;
    }
    // `^arn:.*:[a-z]*fleet\/<fleet id>$`: the fleet id follows the last '/',
    // and the segment before it, after the last ':', is `[a-z]*fleet`;
    // what `.*` covers, before that ':', holds no newline (`.` never
    // matches one).
    let Some(rest) = s.strip_prefix("arn:") else {
        return false;
    };
    let Some((head, id)) = rest.rsplit_once('/') else {
        return false;
    };
    let Some((any, kind)) = head.rsplit_once(':') else {
        return false;
    };
    !any.contains('\n')
        && kind.ends_with("fleet")
        && kind.bytes().all(|b| b.is_ascii_lowercase())
        && is_fleet_id(id)
}

/// The pattern of a `PlayerSessionId`.
pub const PLAYER_SESSION_ID_PATTERN: &str = "^psess-\\S+$";

/// Java's and `regex-lite`'s `\S+`: one or more characters, none of them
/// ASCII white space.
fn non_space(t: &str) -> bool {
    !t.is_empty() && !t.contains([' ', '\t', '\n', '\u{b}', '\u{c}', '\r'])
}

/// Whether `s` matches `^psess-\S+$`.
pub(crate) fn is_player_session_id(s: &str) -> bool {
    s.strip_prefix("psess-").is_some_and(non_space)
}

/// What stands between the ARN's `.*` and the alias id's `\S+`.
const ALIAS_MARK: &str = ":alias/alias-";

/// Whether `s` matches `^(alias-\S+|arn:.*:alias\/alias-\S+)$`.
pub(crate) fn is_alias_id_or_arn(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("alias-") {
        return non_space(rest);
    }
    // `\S+` may itself hold ":alias/alias-", so any occurrence can be the
    // one the pattern anchors on: `.*` before it (no newline), `\S+` after.
    let Some(rest) = s.strip_prefix("arn:") else {
        return false;
    };
    rest.match_indices(ALIAS_MARK)
        .any(|(at, _)| !rest[..at].contains('\n') && non_space(&rest[at + ALIAS_MARK.len()..]))
}

/// The fleet id inside a fleet id or fleet ARN: what follows the last `/`.
#[must_use]
pub fn fleet_id_of(fleet_id_or_arn: &str) -> &str {
    fleet_id_or_arn
        .rsplit_once('/')
        .map_or(fleet_id_or_arn, |(_, id)| id)
}
