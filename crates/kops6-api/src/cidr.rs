//! IPv6 CIDR arithmetic: the `/LEN#N` allocation syntax and Terraform's `cidrsubnet`.
//!
//! `ipnet` parses and compares prefixes; what it lacks is Terraform's
//! `cidrsubnet(prefix, newbits, netnum)` over arbitrary (up to 128-bit) numbers and a plain
//! `overlaps`, so those two are written here over `u128`.

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;

use ipnet::{IpNet, Ipv6Net};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// A subnet's `ipv6CIDR`: a literal prefix, or the `N`th (hexadecimal) `/LEN` block inside the
/// VPC's IPv6 block, written `/LEN#N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ipv6CidrSpec {
    Literal(Ipv6Net),
    Allocated { len: u8, index: u128 },
}

/// Why an `ipv6CIDR` string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Ipv6CidrParseError {
    #[error("`{0}` is not of the form /LEN#N (LEN decimal, N lowercase hexadecimal)")]
    BadAllocation(String),
    #[error("prefix length {0} is larger than 128")]
    LengthTooLarge(u32),
    #[error("`{0}` is not an IPv6 CIDR (expected e.g. 2001:db8:0:1::/64 or /64#1)")]
    NotIpv6(String),
}

/// Why `/LEN#N` does not fit in a VPC block.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResolveError {
    #[error("prefix length /{len} is shorter than the VPC's IPv6 block /{vpc_len}")]
    ShorterThanVpc { len: u8, vpc_len: u8 },
    #[error("block number {index:#x} does not fit: a /{vpc_len} holds only {count} /{len} blocks")]
    IndexOutOfRange {
        len: u8,
        vpc_len: u8,
        index: u128,
        count: String,
    },
}

impl Ipv6CidrSpec {
    /// The prefix length this spec asks for.
    pub fn prefix_len(&self) -> u8 {
        match self {
            Self::Literal(net) => net.prefix_len(),
            Self::Allocated { len, .. } => *len,
        }
    }

    /// The concrete prefix inside `vpc_block` (Terraform `cidrsubnet` semantics for `/LEN#N`).
    pub fn resolve(&self, vpc_block: Ipv6Net) -> Result<Ipv6Net, ResolveError> {
        match *self {
            Self::Literal(net) => Ok(net),
            Self::Allocated { len, index } => {
                let vpc_len = vpc_block.prefix_len();
                if len < vpc_len {
                    return Err(ResolveError::ShorterThanVpc { len, vpc_len });
                }
                cidrsubnet(vpc_block, len - vpc_len, index).ok_or_else(|| {
                    ResolveError::IndexOutOfRange {
                        len,
                        vpc_len,
                        index,
                        count: block_count(len - vpc_len),
                    }
                })
            }
        }
    }
}

/// How many blocks `newbits` more bits give, as text (2^128 does not fit in a u128).
fn block_count(newbits: u8) -> String {
    match 1u128.checked_shl(u32::from(newbits)) {
        Some(n) if newbits < 128 => n.to_string(),
        _ => "2^128".to_string(),
    }
}

/// Terraform's `cidrsubnet(base, newbits, netnum)` for IPv6; `None` when the result would not
/// fit (prefix longer than 128 or `netnum` too large for `newbits`).
pub fn cidrsubnet(base: Ipv6Net, newbits: u8, netnum: u128) -> Option<Ipv6Net> {
    let len = base.prefix_len().checked_add(newbits)?;
    if len > 128 {
        return None;
    }
    if newbits < 128 && netnum >> newbits != 0 {
        return None;
    }
    let host_bits = 128 - u32::from(len);
    let offset = if host_bits == 128 {
        0
    } else {
        netnum << host_bits
    };
    let network = u128::from(base.network()) | offset;
    Ipv6Net::new(Ipv6Addr::from(network), len).ok()
}

/// True when the two prefixes share at least one address.
pub fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

impl FromStr for Ipv6CidrSpec {
    type Err = Ipv6CidrParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.strip_prefix('/') {
            Some(rest) => parse_allocation(s, rest),
            None => s
                .parse::<Ipv6Net>()
                .map(Self::Literal)
                .map_err(|_| Ipv6CidrParseError::NotIpv6(s.to_string())),
        }
    }
}

fn parse_allocation(whole: &str, rest: &str) -> Result<Ipv6CidrSpec, Ipv6CidrParseError> {
    let bad = || Ipv6CidrParseError::BadAllocation(whole.to_string());
    let (len, index) = rest.split_once('#').ok_or_else(bad)?;
    let decimal = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let lower_hex =
        |t: &str| !t.is_empty() && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !decimal(len) || !lower_hex(index) {
        return Err(bad());
    }
    let len: u32 = len.parse().map_err(|_| bad())?;
    if len > 128 {
        return Err(Ipv6CidrParseError::LengthTooLarge(len));
    }
    let index = u128::from_str_radix(index, 16).map_err(|_| bad())?;
    Ok(Ipv6CidrSpec::Allocated {
        len: len as u8,
        index,
    })
}

impl fmt::Display for Ipv6CidrSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Literal(net) => write!(f, "{net}"),
            Self::Allocated { len, index } => write!(f, "/{len}#{index:x}"),
        }
    }
}

impl Serialize for Ipv6CidrSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ipv6CidrSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn net(s: &str) -> Ipv6Net {
        s.parse().unwrap()
    }

    #[test]
    fn allocation_64_a_in_a_56_is_the_seed_example() {
        let spec: Ipv6CidrSpec = "/64#a".parse().unwrap();
        assert_eq!(
            spec.resolve(net("2001:db8::/56")).unwrap(),
            net("2001:db8:0:a::/64")
        );
    }

    #[test]
    fn allocation_round_trips_through_display() {
        for s in ["/64#0", "/64#ff", "/80#1234", "/56#0", "2001:db8::/64"] {
            assert_eq!(s.parse::<Ipv6CidrSpec>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn allocation_rejects_uppercase_hex_and_missing_parts() {
        for s in [
            "/64#A", "/64#", "/#1", "64#1", "/64", "/6x#1", "/64#0x1", "/+64#1", "/64#-1",
        ] {
            assert!(s.parse::<Ipv6CidrSpec>().is_err(), "{s} should not parse");
        }
    }

    #[test]
    fn allocation_rejects_length_over_128() {
        assert_eq!(
            "/129#0".parse::<Ipv6CidrSpec>(),
            Err(Ipv6CidrParseError::LengthTooLarge(129))
        );
    }

    #[test]
    fn literal_must_be_ipv6() {
        assert!(matches!(
            "10.0.0.0/16".parse::<Ipv6CidrSpec>(),
            Err(Ipv6CidrParseError::NotIpv6(_))
        ));
    }

    #[test]
    fn resolve_rejects_prefix_shorter_than_vpc() {
        let spec: Ipv6CidrSpec = "/48#0".parse().unwrap();
        assert_eq!(
            spec.resolve(net("2001:db8::/56")),
            Err(ResolveError::ShorterThanVpc {
                len: 48,
                vpc_len: 56
            })
        );
    }

    #[test]
    fn resolve_rejects_index_beyond_block() {
        let spec: Ipv6CidrSpec = "/64#100".parse().unwrap();
        assert!(matches!(
            spec.resolve(net("2001:db8::/56")),
            Err(ResolveError::IndexOutOfRange { .. })
        ));
        let last: Ipv6CidrSpec = "/64#ff".parse().unwrap();
        assert_eq!(
            last.resolve(net("2001:db8::/56")).unwrap(),
            net("2001:db8:0:ff::/64")
        );
    }

    #[test]
    fn cidrsubnet_handles_full_width() {
        assert_eq!(
            cidrsubnet(net("::/0"), 128, u128::MAX),
            Some(net("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"))
        );
        assert_eq!(cidrsubnet(net("::/0"), 0, 0), Some(net("::/0")));
        assert_eq!(cidrsubnet(net("::/0"), 0, 1), None);
        assert_eq!(cidrsubnet(net("2001:db8::/56"), 73, 0), None);
    }

    #[test]
    fn overlaps_is_containment_either_way() {
        let a: IpNet = "2001:db8::/56".parse().unwrap();
        let b: IpNet = "2001:db8:0:1::/64".parse().unwrap();
        let c: IpNet = "2001:db8:1::/64".parse().unwrap();
        assert!(overlaps(&a, &b) && overlaps(&b, &a));
        assert!(!overlaps(&a, &c));
    }

    /// An independent computation: format the /56 as 16-bit groups and place N in the fourth
    /// group the way a person would, for /64 blocks.
    fn by_hand_64(vpc: Ipv6Net, n: u8) -> Ipv6Net {
        let mut seg = vpc.network().segments();
        seg[3] |= u16::from(n);
        Ipv6Net::new(Ipv6Addr::from(seg), 64).unwrap()
    }

    proptest! {
        #[test]
        fn resolve_64_matches_hand_computation(prefix in any::<u128>(), n in any::<u8>()) {
            let vpc = Ipv6Net::new(Ipv6Addr::from(prefix), 56).unwrap().trunc();
            let spec = Ipv6CidrSpec::Allocated { len: 64, index: u128::from(n) };
            prop_assert_eq!(spec.resolve(vpc).unwrap(), by_hand_64(vpc, n));
        }

        #[test]
        fn resolved_block_lies_inside_vpc(prefix in any::<u128>(), vpc_len in 0u8..=128, extra in 0u8..=128, index in any::<u128>()) {
            let vpc = Ipv6Net::new(Ipv6Addr::from(prefix), vpc_len).unwrap().trunc();
            let len = vpc_len.saturating_add(extra).min(128);
            let spec = Ipv6CidrSpec::Allocated { len, index };
            if let Ok(sub) = spec.resolve(vpc) {
                prop_assert!(vpc.contains(&sub));
                prop_assert_eq!(sub.prefix_len(), len);
                let newbits = u32::from(len - vpc_len);
                let got = if newbits == 0 { 0 } else { (u128::from(sub.network()) ^ u128::from(vpc.network())) >> (128 - u32::from(len)) };
                prop_assert_eq!(got, index);
            } else {
                let newbits = u32::from(len - vpc_len);
                prop_assert!(newbits < 128 && index >> newbits != 0);
            }
        }

        #[test]
        fn parsing_arbitrary_strings_never_panics(s in "\\PC{0,40}") {
            let _ = s.parse::<Ipv6CidrSpec>();
        }

        #[test]
        fn parsing_allocation_like_strings_never_panics(s in "/[0-9]{0,5}#[0-9a-fA-F]{0,40}") {
            if let Ok(spec) = s.parse::<Ipv6CidrSpec>() {
                let _ = spec.resolve("2001:db8::/56".parse().unwrap());
            }
        }
    }
}
