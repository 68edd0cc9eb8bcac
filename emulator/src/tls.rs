//! `--tls`: a certificate made at start-up, and TLS on the emulator's own
//! port beside plain HTTP.
//!
//! The C++ server SDK connects only with `wss://`, and the Go SDK verifies
//! the certificate against the system's roots or `SSL_CERT_FILE`. So the
//! emulator makes a self-signed certificate for `localhost`, `127.0.0.1`,
//! `::1` and the names it is given, writes it (PEM) to the file
//! `--tls-certificate` names, and game servers and AWS clients trust that
//! file. The key never leaves the process.
//!
//! One port serves both: a connection whose first byte is a TLS handshake
//! record (`0x16`) is served over TLS, any other as plain HTTP (an HTTP
//! request starts with a letter). So `ws://` and `wss://`, `http://` and
//! `https://` all reach the same emulator.

use std::path::Path;
use std::sync::Arc;

use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The first byte of a TLS handshake record.
pub(crate) const HANDSHAKE_RECORD: u8 = 0x16;

/// Makes a self-signed certificate for the loopback names and `hosts`,
/// writes it to `certificate` (creating its directory), and answers the
/// acceptor that serves with it.
///
/// # Errors
///
/// A message naming the file when it cannot be written, or the
/// certificate cannot be made.
pub fn self_signed(hosts: &[String], certificate: &Path) -> Result<TlsAcceptor, String> {
    let mut names: Vec<String> = ["localhost", "127.0.0.1", "::1"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for host in hosts {
        if !names.contains(host) {
            names.push(host.clone());
        }
    }
    let made = rcgen::generate_simple_self_signed(names)
        .map_err(|e| format!("cannot make a TLS certificate: {e}"))?;
    if let Some(dir) = certificate.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(certificate, made.cert.pem())
        .map_err(|e| format!("cannot write {}: {e}", certificate.display()))?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
    let chain = vec![CertificateDer::from(made.cert.der().to_vec())];
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    // WebSockets and the AWS clients speak HTTP/1.1.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
