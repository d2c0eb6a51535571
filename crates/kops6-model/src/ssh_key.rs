//! SSH public keys, as `create cluster --ssh-public-key` and `create sshpublickey` take them.

use base64::Engine;
use md5::{Digest, Md5};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SshKeyError {
    #[error("is empty: expected one OpenSSH public key line (e.g. the contents of ~/.ssh/id_ed25519.pub)")]
    Empty,
    #[error("is not an OpenSSH public key: expected `<type> <base64> [comment]`, e.g. `ssh-ed25519 AAAA... me@host`")]
    NotOpenSsh,
    #[error(
        "key type {0:?} is not one AWS imports (ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256/384/521)"
    )]
    UnsupportedType(String),
    #[error("the key data is not valid base64")]
    BadBase64,
    #[error("the key data says {inner:?} but the line says {outer:?}")]
    TypeMismatch { outer: String, inner: String },
    #[error("holds {0} keys; give one")]
    SeveralKeys(usize),
}

/// One validated OpenSSH public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshPublicKey {
    /// `<type> <base64>`, without the comment.
    line: String,
    fingerprint: [u8; 16],
}

const TYPES: &[&str] = &[
    "ssh-rsa",
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
];

impl SshPublicKey {
    /// Parses the text of a `.pub` file: one key line (blank lines and `#` comments ignored).
    pub fn parse(text: &str) -> Result<Self, SshKeyError> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let line = match lines.as_slice() {
            [] => return Err(SshKeyError::Empty),
            [one] => *one,
            many => return Err(SshKeyError::SeveralKeys(many.len())),
        };
        let mut parts = line.split_whitespace();
        let (Some(kind), Some(data)) = (parts.next(), parts.next()) else {
            return Err(SshKeyError::NotOpenSsh);
        };
        if !TYPES.contains(&kind) {
            return Err(if kind.starts_with("-----") || !kind.contains('-') {
                SshKeyError::NotOpenSsh
            } else {
                SshKeyError::UnsupportedType(kind.to_string())
            });
        }
        let blob = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|_| SshKeyError::BadBase64)?;
        let inner = embedded_type(&blob).ok_or(SshKeyError::BadBase64)?;
        if inner != kind {
            return Err(SshKeyError::TypeMismatch {
                outer: kind.to_string(),
                inner,
            });
        }
        Ok(Self {
            line: format!("{kind} {data}"),
            fingerprint: Md5::digest(&blob).into(),
        })
    }

    /// The key as AWS imports it: `<type> <base64>`.
    pub fn openssh(&self) -> &str {
        &self.line
    }

    /// The MD5 fingerprint of the key data, `aa:bb:...` (what kOps names key pairs by).
    pub fn fingerprint(&self) -> String {
        let hex: Vec<String> = self
            .fingerprint
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        hex.join(":")
    }

    /// The fingerprint without colons: the key's id in the state store.
    pub fn id(&self) -> String {
        self.fingerprint
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// `kubernetes.<C>-<fingerprint>`, kOps' key pair name.
    pub fn key_pair_name(&self, cluster: &str) -> String {
        format!("kubernetes.{cluster}-{}", self.fingerprint())
    }
}

/// The key type string the SSH wire format starts with (a u32 length, then the name).
fn embedded_type(blob: &[u8]) -> Option<String> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let name = blob.get(4..4usize.checked_add(len)?)?;
    String::from_utf8(name.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ed25519 key made for these tests (`ssh-keygen -t ed25519`); its MD5 fingerprint as
    /// `ssh-keygen -l -E md5 -f` prints it.
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIQwK1dGq1bieOaTQjNMCz/eFc1FnKZ9QnNO+j70v8Ld test@kops6";

    #[test]
    fn fingerprint_is_md5_of_the_key_data() {
        let k = SshPublicKey::parse(KEY).unwrap();
        // `ssh-keygen -l -E md5` of the same key.
        assert_eq!(
            k.fingerprint(),
            "26:b0:a5:54:51:d8:78:25:d7:9f:f4:8c:6f:e1:af:63"
        );
        assert_eq!(k.id(), "26b0a55451d87825d79ff48c6fe1af63");
        assert_eq!(
            k.key_pair_name("c.example.com"),
            "kubernetes.c.example.com-26:b0:a5:54:51:d8:78:25:d7:9f:f4:8c:6f:e1:af:63"
        );
        assert_eq!(k.openssh(), KEY.rsplit_once(' ').unwrap().0);
    }

    #[test]
    fn malformed_keys_are_errors() {
        assert_eq!(SshPublicKey::parse("  \n"), Err(SshKeyError::Empty));
        assert_eq!(SshPublicKey::parse("hello"), Err(SshKeyError::NotOpenSsh));
        assert_eq!(
            SshPublicKey::parse("-----BEGIN OPENSSH PRIVATE KEY----- x"),
            Err(SshKeyError::NotOpenSsh)
        );
        assert_eq!(
            SshPublicKey::parse("ssh-dss AAAA"),
            Err(SshKeyError::UnsupportedType("ssh-dss".into()))
        );
        assert_eq!(
            SshPublicKey::parse("ssh-rsa !!!"),
            Err(SshKeyError::BadBase64)
        );
        let wrong = KEY.replace("ssh-ed25519", "ssh-rsa");
        assert!(matches!(
            SshPublicKey::parse(&wrong),
            Err(SshKeyError::TypeMismatch { .. })
        ));
        assert_eq!(
            SshPublicKey::parse(&format!("{KEY}\n{KEY}")),
            Err(SshKeyError::SeveralKeys(2))
        );
    }
}
