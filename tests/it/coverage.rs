//! coverage tests (to be written).
