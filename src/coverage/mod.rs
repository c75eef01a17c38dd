//! coverage (to be written).
