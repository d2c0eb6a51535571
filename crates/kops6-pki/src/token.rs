//! kubeadm bootstrap tokens: the join credential workers use (`[a-z0-9]{6}.[a-z0-9]{16}`).

use std::fmt;

use ring::rand::{SecureRandom, SystemRandom};

use crate::PkiError;

const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A kubeadm bootstrap token. Its `Debug` shows only the public id.
#[derive(Clone, PartialEq, Eq)]
pub struct BootstrapToken(String);

impl BootstrapToken {
    /// A new random token (randomness: call at the edge).
    pub fn generate() -> Result<Self, PkiError> {
        let rng = SystemRandom::new();
        let mut out = String::with_capacity(23);
        let mut byte = [0u8; 1];
        while out.len() < 23 {
            if out.len() == 6 {
                out.push('.');
                continue;
            }
            rng.fill(&mut byte).map_err(|_| PkiError::Random)?;
            // 252 = 7 * 36: rejecting the rest keeps every character equally likely.
            if byte[0] < 252 {
                out.push(ALPHABET[usize::from(byte[0] % 36)] as char);
            }
        }
        Ok(Self(out))
    }

    /// Reads a stored token, refusing anything kubeadm would refuse.
    pub fn parse(s: &str) -> Result<Self, PkiError> {
        let s = s.trim();
        let ok = s.len() == 23
            && s.as_bytes()[6] == b'.'
            && s.bytes()
                .enumerate()
                .all(|(i, b)| i == 6 || ALPHABET.contains(&b));
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(PkiError::Token)
        }
    }

    /// The public part (the Secret's name is `bootstrap-token-<id>`).
    pub fn id(&self) -> &str {
        &self.0[..6]
    }

    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BootstrapToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BootstrapToken({}.<redacted>)", self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_have_kubeadms_shape_and_differ() {
        let a = BootstrapToken::generate().unwrap();
        let b = BootstrapToken::generate().unwrap();
        assert_eq!(BootstrapToken::parse(a.secret()).unwrap(), a);
        assert_ne!(a, b);
        assert_eq!(a.id().len(), 6);
        assert!(!format!("{a:?}").contains(&a.secret()[7..]));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "abcdef0123456789abcdef0",
            "ABCDEF.0123456789abcdef",
            "abcdef.0123456789abcde",
            "abcdef-0123456789abcdef",
        ] {
            assert!(BootstrapToken::parse(bad).is_err(), "{bad}");
        }
        assert!(BootstrapToken::parse("abcdef.0123456789abcdef\n").is_ok());
    }
}
