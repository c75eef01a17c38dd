//! parse_real tests (to be written).
