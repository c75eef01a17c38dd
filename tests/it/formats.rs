//! formats tests (to be written).
