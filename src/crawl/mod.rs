//! Sources: manifests now; fetching (robots.txt, politeness, conditional GET, the store) is
//! not part of this version, so URL sources are reported as not crawlable yet.

pub mod manifest;

pub use manifest::{Location, Manifest, ManifestError, ManifestSource};
