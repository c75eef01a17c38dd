//! Facet counts: how many hits per jurisdiction, level and year, over all hits (not just the
//! shown ones), read from fast fields.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
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

/// Collects [`Facets`].
pub(crate) struct FacetCollector;

pub(crate) struct FacetSegment {
    jurisdiction: Option<StrColumn>,
    level: Option<StrColumn>,
    year: Option<Column<i64>>,
    jurisdiction_counts: HashMap<Option<u64>, usize>,
    level_counts: HashMap<Option<u64>, usize>,
    year_counts: HashMap<i64, usize>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let ff = reader.fast_fields();
        Ok(FacetSegment {
            jurisdiction: ff.str("jurisdiction")?,
            level: ff.str("level")?,
            year: ff.i64("year").ok(),
            jurisdiction_counts: HashMap::new(),
            level_counts: HashMap::new(),
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

fn first_ord(column: &Option<StrColumn>, doc: DocId) -> Option<u64> {
    column.as_ref().and_then(|c| c.term_ords(doc).next())
}

fn names(
    column: &Option<StrColumn>,
    counts: HashMap<Option<u64>, usize>,
) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let mut buf = String::new();
    for (ord, n) in counts {
        buf.clear();
        if let (Some(ord), Some(c)) = (ord, column) {
            // An ordinal the dictionary cannot resolve counts as unknown rather than failing.
            let _ = c.ord_to_str(ord, &mut buf);
        }
        *out.entry(buf.clone()).or_insert(0) += n;
    }
    out
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _score: Score) {
        *self
            .jurisdiction_counts
            .entry(first_ord(&self.jurisdiction, doc))
            .or_insert(0) += 1;
        *self
            .level_counts
            .entry(first_ord(&self.level, doc))
            .or_insert(0) += 1;
        if let Some(y) = self.year.as_ref().and_then(|c| c.first(doc)) {
            *self.year_counts.entry(y).or_insert(0) += 1;
        }
    }

    fn harvest(self) -> Facets {
        Facets {
            jurisdiction: names(&self.jurisdiction, self.jurisdiction_counts),
            level: names(&self.level, self.level_counts),
            year: self.year_counts.into_iter().collect(),
        }
    }
}
