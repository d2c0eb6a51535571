//! Views of a cluster for people (SPEC 9): `explain` (why each resource exists), `diagram`
//! (the network as SVG or Mermaid) and `reach` (would traffic from a subnet get to a
//! destination, hop by hop, and if not, why).
//!
//! Pure, like the model it reads: no file, network, clock or randomness. Input is the model's
//! [`kops6_model::ResourceGraph`] plus the completed spec (for instance groups and the API load
//! balancer), gathered once into a [`Topology`]. Kinds the views do not know yet are passed over
//! (diagram, reach) or shown generically (explain), so growing the model never breaks them.

pub mod diagram;
pub mod explain;
pub mod reach;
pub mod security;
pub mod topology;

pub use explain::{explain, overview, Explanation, Overview};
pub use reach::{reach, Answer, Hop, Query, ReachError, Step};
pub use security::QueryProtocol;
pub use topology::{Input, Topology};
