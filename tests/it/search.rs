//! search tests (to be written).
