//! The snapshot file: read whole, with every member it holds accounted
//! for, and written atomically.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StateFileError;

/// Reads the snapshot at `path` into `T`: `Ok(None)` when there is no
/// file. A `Version` above `newest` is refused before anything else is
/// read (a newer file's members are not this emulator's to judge), and so
/// is a member at any depth that `T` does not keep: in a file written by
/// hand an unknown member is a typo that would lose state.
///
/// # Errors
///
/// A file that exists but cannot be read, or is not JSON of the shape.
/// The file is never changed.
pub(crate) fn load<T: Serialize + DeserializeOwned>(
    path: &Path,
    newest: u32,
) -> Result<Option<T>, StateFileError> {
    /// The version alone.
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        #[serde(rename = "Version")]
        version: Option<serde_json::Value>,
    }
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StateFileError::new(path, format!("cannot be read: {e}"))),
    };
    let invalid =
        |e: serde_json::Error| StateFileError::new(path, format!("is not a valid state file: {e}"));
    if let Ok(VersionOnly {
        version: Some(version),
    }) = serde_json::from_slice(&text)
        && version.as_u64().is_some_and(|v| v > u64::from(newest))
    {
        return Err(StateFileError::new(
            path,
            format!(
                "was written by a newer emulator (Version {version}; this one reads version {newest})"
            ),
        ));
    }
    let state: T = serde_json::from_slice(&text).map_err(invalid)?;
    // Nested shapes take unknown members, as the wire does.
    let written: serde_json::Value = serde_json::from_slice(&text).map_err(invalid)?;
    let read = serde_json::to_value(&state).map_err(invalid)?;
    let mut at = String::new();
    if let Some(member) = unknown_member(&written, &read, &mut at) {
        return Err(StateFileError::new(
            path,
            format!("has an unknown member {member}"),
        ));
    }
    Ok(Some(state))
}

/// The first member of `written` (not `null`) that reading it into the
/// state's shapes did not keep: its path, `GameSessionDetails[0].GameSession.Nmae`.
fn unknown_member(
    written: &serde_json::Value,
    read: &serde_json::Value,
    at: &mut String,
) -> Option<String> {
    use serde_json::Value;
    match (written, read) {
        (Value::Object(written), Value::Object(read)) => {
            for (key, value) in written {
                if value.is_null() {
                    continue;
                }
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(key);
                let found = match read.get(key) {
                    None => Some(at.clone()),
                    Some(kept) => unknown_member(value, kept, at),
                };
                at.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Array(written), Value::Array(read)) => {
            for (i, (value, kept)) in written.iter().zip(read).enumerate() {
                let len = at.len();
                let _ = write!(at, "[{i}]");
                let found = unknown_member(value, kept, at);
                at.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        _ => None,
    }
}

/// Writes `state` to `path` atomically: a temporary file beside it, then a
/// rename. Answers the file's size.
///
/// The temporary file is created new (`O_EXCL`, so a link planted under its
/// name is refused, never followed) with the permissions of the file it
/// replaces, or owner read and write only (0600) for a new file. A `path`
/// that is a symbolic link is refused.
///
/// # Errors
///
/// The file or its temporary could not be written or renamed.
pub(crate) fn save<T: Serialize>(path: &Path, state: &T) -> Result<u64, StateFileError> {
    let mut text = serde_json::to_vec_pretty(state)
        .map_err(|e| StateFileError::new(path, format!("cannot be encoded: {e}")))?;
    text.push(b'\n');
    let existing = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(StateFileError::new(
                path,
                "is a symbolic link; name the file itself",
            ));
        }
        Ok(m) => Some(m.permissions()),
        Err(_) => None,
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let written = write_new(&temporary, &text, existing).and_then(|()| {
        std::fs::rename(&temporary, path)?;
        // The rename reaches the disk with its directory.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    });
    match written {
        Ok(()) => Ok(text.len() as u64),
        Err(e) => {
            if e.kind() != io::ErrorKind::AlreadyExists {
                let _ = std::fs::remove_file(&temporary);
            }
            Err(StateFileError::new(path, format!("cannot be written: {e}")))
        }
    }
}

fn write_new(
    path: &Path,
    text: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    if let Some(permissions) = permissions {
        file.set_permissions(permissions)?;
    }
    file.write_all(text)?;
    file.sync_all()
}

/// Refuses a path that is a symbolic link.
pub(crate) fn refuse_link(path: &Path) -> Result<(), StateFileError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(StateFileError::new(
            path,
            "is a symbolic link; name the file itself".to_owned(),
        )),
        _ => Ok(()),
    }
}
