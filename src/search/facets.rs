//! Facet counts: how many hits per jurisdiction, level and year, over all hits (not just the
//! shown ones), read from fast fields.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Hit counts by value. Hits without a value are counted under `""` (jurisdiction, level)
/// or are missing from `year`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub jurisdiction: BTreeMap<String, usize>,
    pub level: BTreeMap<String, usize>,
    pub year: BTreeMap<i64, usize>,
}

impl Facets {
    /// Counts by jurisdiction where a country's includes its subdivisions' (CN counts CN-SH's
    /// hits too), as the jurisdiction filter is a prefix: a link "CN 89" finds 89 hits. The
    /// counts themselves stay exact, so they sum to the hits.
    pub fn jurisdictions_with_subdivisions(&self) -> BTreeMap<String, usize> {
        let mut out = self.jurisdiction.clone();
        for (code, n) in &self.jurisdiction {
            if let Some((country, _)) = code.split_once('-') {
                *out.entry(country.to_string()).or_insert(0) += n;
            }
        }
        out
    }

    fn merge(&mut self, other: Facets) {
        for (k, v) in other.jurisdiction {
            *self.jurisdiction.entry(k).or_insert(0) += v;
        }
        for (k, v) in other.level {
            *self.level.entry(k).or_insert(0) += v;
        }
        for (k, v) in other.year {
            *self.year.entry(k).or_insert(0) += v;
        }
    }
}

/// The facet columns of each segment, opened once per searcher: opening a keyword column
/// reads its dictionary, which cost as much as counting the matches of a typical query.
#[derive(Clone, Default)]
pub(crate) struct Columns(Arc<HashMap<SegmentId, SegmentColumns>>);

#[derive(Clone)]
pub(crate) struct SegmentColumns {
    jurisdiction: Option<StrColumn>,
    level: Option<StrColumn>,
    year: Option<Column<i64>>,
}

impl SegmentColumns {
    fn open(reader: &SegmentReader) -> tantivy::Result<Self> {
        let ff = reader.fast_fields();
        Ok(SegmentColumns {
            jurisdiction: ff.str("jurisdiction")?,
            level: ff.str("level")?,
            year: ff.i64("year").ok(),
        })
    }
}

impl Columns {
    pub(crate) fn open(searcher: &tantivy::Searcher) -> tantivy::Result<Columns> {
        let mut map = HashMap::new();
        for reader in searcher.segment_readers() {
            map.insert(reader.segment_id(), SegmentColumns::open(reader)?);
        }
        Ok(Columns(Arc::new(map)))
    }
}

/// Collects [`Facets`].
pub(crate) struct FacetCollector(pub(crate) Columns);

pub(crate) struct FacetSegment {
    jurisdiction: Counts,
    level: Counts,
    year: Option<Column<i64>>,
    /// Counts by `year - year_min`, when the segment's years span at most [`MAX_YEAR_SPAN`].
    year_dense: Vec<usize>,
    year_min: i64,
    year_counts: HashMap<i64, usize>,
}

/// Widest span of years counted in an array (a bulk segment spans ~80 years).
const MAX_YEAR_SPAN: i64 = 4096;

/// Counts by term ordinal of one keyword column: an array indexed by ordinal (a segment has a
/// few dozen jurisdictions and levels), the last slot for clauses without a value. Counting
/// is per matching clause, so a hash map per count cost more than the search of a query with
/// ten thousand matches.
struct Counts {
    column: Option<StrColumn>,
    by_ord: Vec<usize>,
}

impl Counts {
    fn new(column: Option<StrColumn>) -> Self {
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Counts {
            column,
            by_ord: vec![0; terms + 1],
        }
    }

    #[inline]
    fn count(&mut self, doc: DocId) {
        let none = self.by_ord.len() - 1;
        let slot = match &self.column {
            Some(c) => c.ords().first(doc).map_or(none, |o| (o as usize).min(none)),
            None => none,
        };
        self.by_ord[slot] += 1;
    }

    /// Counts by value; clauses without a value (or with an ordinal the dictionary cannot
    /// resolve) under `""`.
    fn names(self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        let mut buf = String::new();
        let none = self.by_ord.len() - 1;
        for (ord, &n) in self.by_ord.iter().enumerate() {
            if n == 0 {
                continue;
            }
            buf.clear();
            if let (true, Some(c)) = (ord < none, &self.column) {
                let _ = c.ord_to_str(ord as u64, &mut buf);
            }
            *out.entry(buf.clone()).or_insert(0) += n;
        }
        out
    }
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let columns = match self.0 .0.get(&reader.segment_id()) {
            Some(c) => c.clone(),
            None => SegmentColumns::open(reader)?,
        };
        let year = columns.year;
        let (year_min, span) = match &year {
            Some(c) if c.num_docs() > 0 => (
                c.min_value(),
                c.max_value()
                    .saturating_sub(c.min_value())
                    .saturating_add(1),
            ),
            _ => (0, 0),
        };
        let year_dense = if (1..=MAX_YEAR_SPAN).contains(&span) {
            vec![0; span as usize]
        } else {
            Vec::new()
        };
        Ok(FacetSegment {
            jurisdiction: Counts::new(columns.jurisdiction),
            level: Counts::new(columns.level),
            year,
            year_dense,
            year_min,
            year_counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut all = Facets::default();
        for f in fruits {
            all.merge(f);
        }
        Ok(all)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.jurisdiction.count(doc);
        self.level.count(doc);
        if let Some(y) = self.year.as_ref().and_then(|c| c.first(doc)) {
            let i = y.wrapping_sub(self.year_min);
            match self
                .year_dense
                .get_mut(usize::try_from(i).unwrap_or(usize::MAX))
            {
                Some(n) => *n += 1,
                None => *self.year_counts.entry(y).or_insert(0) += 1,
            }
        }
    }

    fn harvest(self) -> Facets {
        let mut year = self.year_counts;
        for (i, &n) in self.year_dense.iter().enumerate() {
            if n > 0 {
                *year.entry(self.year_min + i as i64).or_insert(0) += n;
            }
        }
        Facets {
            jurisdiction: self.jurisdiction.names(),
            level: self.level.names(),
            year: year.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_counts_its_subdivisions_as_its_filter_finds_them() {
        let mut f = Facets::default();
        for (code, n) in [("CN", 64), ("CN-SH", 20), ("CN-BJ", 5), ("TW", 3), ("", 2)] {
            f.jurisdiction.insert(code.to_string(), n);
        }
        f.jurisdiction.insert("US-CA".to_string(), 4);
        let rolled = f.jurisdictions_with_subdivisions();
        assert_eq!(rolled["CN"], 89);
        assert_eq!(rolled["CN-SH"], 20);
        assert_eq!(rolled["TW"], 3);
        assert_eq!(rolled["US"], 4, "a country with subdivisions only");
        assert_eq!(rolled[""], 2);
        assert_eq!(f.jurisdiction["CN"], 64, "the counts themselves stay exact");
    }
}
