//! Kubernetes versions as kOps writes them (`v1.35.0` or `1.35.0`).

use std::fmt;
use std::str::FromStr;

/// A parsed `kubernetesVersion`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubernetesVersion(semver::Version);

impl KubernetesVersion {
    pub fn at_least(&self, major: u64, minor: u64) -> bool {
        (self.0.major, self.0.minor) >= (major, minor)
    }
}

impl FromStr for KubernetesVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bare = s.strip_prefix('v').unwrap_or(s);
        semver::Version::parse(bare)
            .map(Self)
            .map_err(|e| format!("{s:?} is not a Kubernetes version like v1.35.0 ({e})"))
    }
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_and_without_v() {
        let a: KubernetesVersion = "v1.22.0".parse().unwrap();
        let b: KubernetesVersion = "1.22.0".parse().unwrap();
        assert_eq!(a, b);
        assert!(a.at_least(1, 22));
        assert!(!"v1.21.14"
            .parse::<KubernetesVersion>()
            .unwrap()
            .at_least(1, 22));
    }

    #[test]
    fn rejects_partial_versions() {
        assert!("1.22".parse::<KubernetesVersion>().is_err());
        assert!("latest".parse::<KubernetesVersion>().is_err());
    }
}
