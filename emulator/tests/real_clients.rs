//! boto3 and the AWS CLI against the `gamelift-emulator` binary, and the
//! binary's own behaviour as a program (command line, signals, state file,
//! control API, logs, slow and idle clients): the pytest suite in
//! `tests/clients`, run here so that `cargo test --workspace` runs it too.
//!
//! It needs `python3`. The first run makes a virtual environment under
//! cargo's target directory and installs the pinned clients of
//! `tests/clients/requirements.txt` from PyPI; later runs reuse it.

use std::path::{Path, PathBuf};
use std::process::Command;

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients");

#[track_caller]
fn run(command: &mut Command) {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e} (python3 is needed)"));
    assert!(status.success(), "{shown} failed: {status}");
}

/// The virtual environment with the pinned clients, made or refreshed when
/// the requirements change.
fn environment() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clients-venv");
    let requirements = Path::new(SUITE).join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).expect("requirements.txt");
    let stamp = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        run(Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv));
        run(Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements));
        std::fs::write(&stamp, wanted).expect("a stamp in the venv");
    }
    venv
}

#[test]
fn real_clients_and_the_program() {
    let venv = environment();
    let path = std::env::join_paths(std::iter::once(venv.join("bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("a PATH");
    run(Command::new(venv.join("bin/pytest"))
        .args(["-q", "-p", "no:cacheprovider", SUITE])
        .env("PATH", path)
        .env("EMULATOR_BIN", env!("CARGO_BIN_EXE_gamelift-emulator"))
        .env("EMULATOR_LOG_DIR", env!("CARGO_TARGET_TMPDIR")));
}
