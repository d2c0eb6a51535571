//! The cluster's PKI: the three certificate authorities kubeadm expects (cluster, front proxy,
//! etcd), the service-account signing key, and certificates signed by them (admin clients,
//! servers for tests).
//!
//! Key material and the validity window are inputs, so making a CA reads no clock and, apart
//! from the ECDSA signature nonce inside the signing library, no randomness: the same key and
//! window give the same subject, serial and extensions. [`generate_key`] is the one function
//! that draws randomness; the CLI calls it once per key, when a cluster has none yet.
//!
//! Not for: storing anything (see [`ClusterPki::files`] for the keys and bytes the state store
//! keeps) or deciding which names a cluster needs (kops6-bootstrap does that).

use std::fmt;
use std::net::IpAddr;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PublicKeyData, SanType, SerialNumber,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub mod paths;
pub mod token;

pub use token::BootstrapToken;

#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("{what}: not a usable private key: {source}")]
    Key { what: String, source: rcgen::Error },
    #[error("{what}: not a usable CA certificate: {source}")]
    CaCertificate { what: String, source: rcgen::Error },
    #[error("{what}: certificate and private key do not belong together")]
    Mismatch { what: String },
    #[error("{name:?} is not a valid DNS name for a certificate: {source}")]
    DnsName { name: String, source: rcgen::Error },
    #[error("signing {what}: {source}")]
    Sign { what: String, source: rcgen::Error },
    #[error("{path} is missing from the state store: the cluster's PKI is incomplete (kops6 never makes a new CA for a cluster that has one; restore the file from a backup)")]
    Missing { path: String },
    #[error("{path} in the state store is not UTF-8 PEM")]
    NotText { path: String },
    #[error("the system's random number generator failed")]
    Random,
    #[error(
        "not a kubeadm bootstrap token (six and sixteen characters of [a-z0-9], joined by a dot)"
    )]
    Token,
    #[error("validity of {what}: notAfter {not_after} is not after notBefore {not_before}")]
    Validity {
        what: String,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    },
}

/// A new ECDSA P-256 private key as PKCS#8 PEM. The only randomness in this crate.
pub fn generate_key() -> Result<String, PkiError> {
    KeyPair::generate()
        .map(|k| k.serialize_pem())
        .map_err(|source| PkiError::Key {
            what: "new key".into(),
            source,
        })
}

/// When a certificate is valid, given by the caller (the CLI reads the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl Validity {
    /// `duration` from `now`; `now` is backdated by five minutes for clock skew between machines.
    pub fn starting(now: OffsetDateTime, duration: time::Duration) -> Self {
        Self {
            not_before: now - time::Duration::minutes(5),
            not_after: now + duration,
        }
    }

    fn check(&self, what: &str) -> Result<(), PkiError> {
        if self.not_after <= self.not_before {
            return Err(PkiError::Validity {
                what: what.into(),
                not_before: self.not_before,
                not_after: self.not_after,
            });
        }
        Ok(())
    }
}

/// The certificate authorities of a kubeadm cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaKind {
    /// Signs the API server, kubelets and clients (`/etc/kubernetes/pki/ca.*`).
    Cluster,
    /// Signs the API server's aggregation client (`front-proxy-ca.*`).
    FrontProxy,
    /// Signs etcd's servers, peers and clients (`etcd/ca.*`).
    Etcd,
}

impl CaKind {
    pub const ALL: [CaKind; 3] = [CaKind::Cluster, CaKind::FrontProxy, CaKind::Etcd];

    /// The subject common name kubeadm itself gives this CA.
    pub fn common_name(self) -> &'static str {
        match self {
            CaKind::Cluster => "kubernetes",
            CaKind::FrontProxy => "front-proxy-ca",
            CaKind::Etcd => "etcd-ca",
        }
    }

    /// The keyset name under `pki/` in the state store (kOps' names where kOps has one).
    pub fn keyset(self) -> &'static str {
        match self {
            CaKind::Cluster => "kubernetes-ca",
            CaKind::FrontProxy => "apiserver-aggregator-ca",
            CaKind::Etcd => "etcd-ca",
        }
    }

    /// The file name stem kubeadm looks for under `/etc/kubernetes/pki`.
    pub fn kubeadm_stem(self) -> &'static str {
        match self {
            CaKind::Cluster => "ca",
            CaKind::FrontProxy => "front-proxy-ca",
            CaKind::Etcd => "etcd/ca",
        }
    }
}

impl fmt::Display for CaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyset())
    }
}

/// A certificate authority: its certificate and key as PEM, and the issuer to sign with.
pub struct Ca {
    kind: CaKind,
    cert_pem: String,
    key_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl fmt::Debug for Ca {
    // Never print the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ca").field("kind", &self.kind).finish()
    }
}

impl Ca {
    /// A new self-signed CA from `key_pem` (PKCS#8).
    pub fn create(kind: CaKind, key_pem: &str, validity: Validity) -> Result<Self, PkiError> {
        let what = kind.keyset();
        validity.check(what)?;
        let key = parse_key(what, key_pem)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = subject(kind.common_name(), &[]);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.not_before = validity.not_before;
        params.not_after = validity.not_after;
        params.serial_number = Some(serial(kind.common_name(), &validity, &key));
        let cert = params.self_signed(&key).map_err(|source| PkiError::Sign {
            what: what.into(),
            source,
        })?;
        let cert_pem = cert.pem();
        Self::load(kind, &cert_pem, key_pem)
    }

    /// A CA read back from the state store. Refuses a key that does not match the certificate,
    /// so a corrupt store is an error, never a silently different CA.
    pub fn load(kind: CaKind, cert_pem: &str, key_pem: &str) -> Result<Self, PkiError> {
        let what = kind.keyset();
        let key = parse_key(what, key_pem)?;
        let public = key.subject_public_key_info();
        let issuer =
            Issuer::from_ca_cert_pem(cert_pem, key).map_err(|source| PkiError::CaCertificate {
                what: what.into(),
                source,
            })?;
        if spki_of_cert(cert_pem).as_deref() != Some(public.as_slice()) {
            return Err(PkiError::Mismatch { what: what.into() });
        }
        Ok(Self {
            kind,
            cert_pem: cert_pem.to_string(),
            key_pem: key_pem.to_string(),
            issuer,
        })
    }

    pub fn kind(&self) -> CaKind {
        self.kind
    }

    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// kubeadm's `caCertHashes` entry: `sha256:` + hex of the CA's SubjectPublicKeyInfo.
    pub fn public_key_hash(&self) -> String {
        let spki = self.issuer.key().subject_public_key_info();
        format!("sha256:{}", hex(&Sha256::digest(&spki)))
    }

    /// Signs a leaf certificate for `key_pem`.
    pub fn sign(&self, leaf: &Leaf, key_pem: &str, validity: Validity) -> Result<String, PkiError> {
        let what = format!("certificate {:?}", leaf.common_name);
        validity.check(&what)?;
        let key = parse_key(&what, key_pem)?;
        let orgs: Vec<&str> = leaf.organizations.iter().map(String::as_str).collect();
        let mut params = CertificateParams::default();
        params.distinguished_name = subject(&leaf.common_name, &orgs);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = leaf
            .usages
            .iter()
            .map(|u| match u {
                Usage::Server => ExtendedKeyUsagePurpose::ServerAuth,
                Usage::Client => ExtendedKeyUsagePurpose::ClientAuth,
            })
            .collect();
        params.subject_alt_names = leaf
            .names
            .iter()
            .map(|n| match n {
                Name::Dns(d) => d
                    .clone()
                    .try_into()
                    .map(SanType::DnsName)
                    .map_err(|source| PkiError::DnsName {
                        name: d.clone(),
                        source,
                    }),
                Name::Ip(ip) => Ok(SanType::IpAddress(*ip)),
            })
            .collect::<Result<_, _>>()?;
        params.use_authority_key_identifier_extension = true;
        params.not_before = validity.not_before;
        params.not_after = validity.not_after;
        params.serial_number = Some(serial(&leaf.common_name, &validity, &key));
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(|source| PkiError::Sign { what, source })?;
        Ok(cert.pem())
    }
}

/// A name a server certificate is valid for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Name {
    Dns(String),
    Ip(IpAddr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    Server,
    Client,
}

/// What a leaf certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub common_name: String,
    pub organizations: Vec<String>,
    pub names: Vec<Name>,
    pub usages: Vec<Usage>,
}

impl Leaf {
    /// A client certificate: Kubernetes reads the user from CN and the groups from O.
    pub fn client(user: &str, groups: &[&str]) -> Self {
        Self {
            common_name: user.into(),
            organizations: groups.iter().map(|g| g.to_string()).collect(),
            names: Vec::new(),
            usages: vec![Usage::Client],
        }
    }

    /// A serving certificate for `names` (also usable as a client, as etcd peers need).
    pub fn server(common_name: &str, names: Vec<Name>) -> Self {
        Self {
            common_name: common_name.into(),
            organizations: Vec::new(),
            names,
            usages: vec![Usage::Server, Usage::Client],
        }
    }
}

/// The group kOps' and kubeadm's admin kubeconfigs use (full access through RBAC's bootstrap
/// binding).
pub const ADMIN_GROUP: &str = "system:masters";

/// Everything made once per cluster and kept in the state store.
#[derive(Debug)]
pub struct ClusterPki {
    pub cluster_ca: Ca,
    pub front_proxy_ca: Ca,
    pub etcd_ca: Ca,
    /// The service-account signing key (PKCS#8 PEM); kube-apiserver verifies with its public half.
    pub service_account_key: String,
}

/// Keys for a new [`ClusterPki`], one per CA plus the service-account key.
pub struct PkiKeys {
    pub cluster_ca: String,
    pub front_proxy_ca: String,
    pub etcd_ca: String,
    pub service_account: String,
}

impl PkiKeys {
    /// Four fresh keys (randomness: call at the edge).
    pub fn generate() -> Result<Self, PkiError> {
        Ok(Self {
            cluster_ca: generate_key()?,
            front_proxy_ca: generate_key()?,
            etcd_ca: generate_key()?,
            service_account: generate_key()?,
        })
    }
}

/// How long kops6's CAs are valid: ten years, as kubeadm and kOps make theirs.
pub const CA_LIFETIME: time::Duration = time::Duration::days(3650);

impl ClusterPki {
    pub fn create(keys: &PkiKeys, now: OffsetDateTime) -> Result<Self, PkiError> {
        let validity = Validity::starting(now, CA_LIFETIME);
        parse_key("service-account", &keys.service_account)?;
        Ok(Self {
            cluster_ca: Ca::create(CaKind::Cluster, &keys.cluster_ca, validity)?,
            front_proxy_ca: Ca::create(CaKind::FrontProxy, &keys.front_proxy_ca, validity)?,
            etcd_ca: Ca::create(CaKind::Etcd, &keys.etcd_ca, validity)?,
            service_account_key: keys.service_account.clone(),
        })
    }

    pub fn ca(&self, kind: CaKind) -> &Ca {
        match kind {
            CaKind::Cluster => &self.cluster_ca,
            CaKind::FrontProxy => &self.front_proxy_ca,
            CaKind::Etcd => &self.etcd_ca,
        }
    }

    /// The service-account public key as SPKI PEM (`sa.pub`).
    pub fn service_account_public_pem(&self) -> Result<String, PkiError> {
        let key = parse_key("service-account", &self.service_account_key)?;
        Ok(key.public_key_pem())
    }
}

impl ClusterPki {
    /// The state-store files, relative to the cluster's directory: certificates and public
    /// keys under `pki/issued/`, private keys under `pki/private/`.
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, PkiError> {
        let mut out = Vec::new();
        for kind in CaKind::ALL {
            let ca = self.ca(kind);
            out.push((
                paths::ca_certificate(kind),
                ca.cert_pem().as_bytes().to_vec(),
            ));
            out.push((paths::ca_key(kind), ca.key_pem().as_bytes().to_vec()));
        }
        out.push((
            paths::SERVICE_ACCOUNT_PUBLIC.into(),
            self.service_account_public_pem()?.into_bytes(),
        ));
        out.push((
            paths::SERVICE_ACCOUNT_KEY.into(),
            self.service_account_key.as_bytes().to_vec(),
        ));
        Ok(out)
    }

    /// Reads the PKI back through `read` (a state-store lookup by relative path). A missing
    /// or corrupt file is an error naming it; nothing is regenerated.
    pub fn from_files(read: impl Fn(&str) -> Option<Vec<u8>>) -> Result<Self, PkiError> {
        let text = |path: String| -> Result<String, PkiError> {
            let bytes = read(&path).ok_or_else(|| PkiError::Missing { path: path.clone() })?;
            String::from_utf8(bytes).map_err(|_| PkiError::NotText { path })
        };
        let ca = |kind: CaKind| -> Result<Ca, PkiError> {
            Ca::load(
                kind,
                &text(paths::ca_certificate(kind))?,
                &text(paths::ca_key(kind))?,
            )
        };
        let service_account_key = text(paths::SERVICE_ACCOUNT_KEY.into())?;
        parse_key("service-account", &service_account_key)?;
        Ok(Self {
            cluster_ca: ca(CaKind::Cluster)?,
            front_proxy_ca: ca(CaKind::FrontProxy)?,
            etcd_ca: ca(CaKind::Etcd)?,
            service_account_key,
        })
    }
}

fn parse_key(what: &str, pem: &str) -> Result<KeyPair, PkiError> {
    KeyPair::from_pem(pem).map_err(|source| PkiError::Key {
        what: what.into(),
        source,
    })
}

fn subject(common_name: &str, organizations: &[&str]) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    for o in organizations {
        dn.push(DnType::OrganizationName, *o);
    }
    dn.push(DnType::CommonName, common_name);
    dn
}

/// A serial derived from what the certificate says and its key: unique per key and window
/// without reading randomness. 16 bytes with the top bit clear, so it is a positive integer.
fn serial(common_name: &str, validity: &Validity, key: &KeyPair) -> SerialNumber {
    let mut h = Sha256::new();
    h.update(common_name.as_bytes());
    h.update(validity.not_before.unix_timestamp().to_be_bytes());
    h.update(validity.not_after.unix_timestamp().to_be_bytes());
    h.update(key.subject_public_key_info());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    SerialNumber::from_slice(&bytes)
}

/// The SubjectPublicKeyInfo DER of a PEM certificate.
fn spki_of_cert(cert_pem: &str) -> Option<Vec<u8>> {
    let (_, block) = x509_parser::pem::parse_x509_pem(cert_pem.as_bytes()).ok()?;
    let cert = block.parse_x509().ok()?;
    Some(cert.public_key().raw.to_vec())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
