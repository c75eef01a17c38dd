//! Coverage of documents against the library social-responsibility taxonomy.
//!
//! What these tests check, on the real corpus:
//! 1. strength: real sentences of each class (mandatory, permissive, encouraged, principle),
//!    in Simplified and Traditional Chinese, English and Korean, classify as their class;
//! 2. drafts: the public library law with the articles of three obligations removed reports
//!    exactly those three as new gaps, each with model clauses from other laws;
//! 3. the labelled sets (every file of tests/fixtures/coverage-labels/, real and bulk
//!    documents judged by reading the laws), per split (train, heldout): accuracy, precision
//!    and recall of gap and covered cells, scope accuracy, and how often the top evidence
//!    names a labelled article, each at or above its floor in tests/fixtures/coverage-floor.toml;
//! 4. a document that cannot be read is `unknown` in every cell, never a gap;
//! 5. the HTML report is one self-contained file with escaped text and a link per cell;
//! 6. `lawdex gaps --format json` writes the documented fields and exits 1 when it finds gaps.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use lawdex::coverage::{
    self, render, strength, CorpusCoverage, Matcher, Report, ReportOptions, State, Strength,
    Taxonomy,
};
use lawdex::grammar::from_chinese;
use lawdex::model::{Clause, ClauseId, ClauseKind, DocInfo, Format, Origin, SegmentedDoc};
use lawdex::parse::Limits;

use crate::common::{fixtures_dir, real_dir, unpack_bulk};

fn matcher() -> Matcher {
    Matcher::new(Taxonomy::library_social_responsibility().expect("built-in taxonomy"))
        .expect("compiles")
}

/// The sentence of `file` that starts with `start`, read from the file itself.
fn sentence_from(file: &Path, start: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("{}: no sentence starting {start:?}", file.display()));
    let rest = &text[at..];
    let line = rest.split(['\n', '"']).next().unwrap_or(rest);
    let ranges = strength::sentences(line);
    let first = ranges.first().cloned().unwrap_or(0..line.len());
    line[first].to_string()
}

#[test]
fn real_sentences_classify_by_strength() {
    let Some(real) = real_dir() else { return };
    use Strength::*;
    let prc = "cn/national/public-library-law-2018.md";
    let bj = "cn/beijing/beijing-library-regulations-2002.md";
    let tw = "tw/library-act-2015.zh.json";
    let tw_en = "tw/library-act-2015.en.json";
    let us = "us/usc-title20-ch72-museum-and-library-services.md";
    let au = "au/national-library-act-1960.md";
    let kr = "kr/small-library-promotion-act.md";
    let table: &[(&str, &str, Strength)] = &[
        // mandatory: 应当 / 必须 / 不得 / 應 / a declarative sanction / shall / must / may not
        (prc, "公共图书馆应当妥善保护读者的个人信息", Mandatory),
        (prc, "公共图书馆的设施设备场地不得用于", Mandatory),
        (bj, "图书馆的数字化、网络化、自动化建设必须遵循", Mandatory),
        (
            prc,
            "公共图书馆从事或者允许其他组织、个人在馆内从事危害国家安全",
            Mandatory,
        ),
        (tw, "圖書館應提供其服務對象", Mandatory),
        (
            tw_en,
            "All libraries shall provide their target audience",
            Mandatory,
        ),
        (
            tw_en,
            "The curator, director, or administrator of a public library must",
            Mandatory,
        ),
        (us, "The Director shall not delegate", Mandatory),
        (
            us,
            "Except as provided in clause (ii), the rate of basic compensation",
            Mandatory,
        ),
        (kr, "국가 및 지방자치단체는 제1항에 따른 책무를", Mandatory),
        // permissive: 可以 / 得 / may / 수 있다
        (prc, "公共图书馆可以通过采购、接受交存或者捐赠", Permissive),
        (tw, "各級主管機關得分別設立諮詢會", Permissive),
        (tw, "圖書館為謀資源共享，各項圖書資訊得互借", Permissive),
        (
            tw_en,
            "Libraries may loan, exchange, or gift resources",
            Permissive,
        ),
        (
            kr,
            "국가, 지방자치단체, 법인ㆍ단체 또는 개인은 작은도서관을",
            Permissive,
        ),
        // encouraged: 鼓励 / 支持 / 提倡 / 倡导 / encourage / promote
        (
            prc,
            "国家鼓励公民、法人和其他组织依法向公共图书馆捐赠",
            Encouraged,
        ),
        (
            prc,
            "国家鼓励和支持在公共图书馆领域开展国际交流与合作",
            Encouraged,
        ),
        (bj, "本市倡导志愿者参加图书馆（室）的服务工作", Encouraged),
        (bj, "提倡各类图书馆开设基层借阅点", Encouraged),
        (
            us,
            "(12) to encourage, support, and disseminate model programs",
            Encouraged,
        ),
        // principle: purpose, definition, scope, statements without an actor's duty
        (prc, "第一条 为了促进公共图书馆事业发展", Principle),
        (prc, "本法所称公共图书馆，是指向社会公众免费开放", Principle),
        (
            prc,
            "公共图书馆是社会主义公共文化服务体系的重要组成部分",
            Mandatory,
        ),
        (
            bj,
            "本条例适用于本市的公共图书馆及其他各类图书馆",
            Principle,
        ),
        (
            tw,
            "本法所稱圖書館，指蒐集、整理、保存及製作圖書資訊",
            Principle,
        ),
        (
            tw_en,
            "This Act was formulated to facilitate the growth of public libraries",
            Principle,
        ),
        (
            au,
            "This Act may be cited as the _National Library Act 1960_",
            Principle,
        ),
        (kr, "이 법은 작은도서관의 진흥에 필요한 사항을", Principle),
    ];
    let mut wrong = Vec::new();
    for (file, start, want) in table {
        let s = sentence_from(&real.join(file), start);
        let got = strength::classify(&s);
        if got != *want {
            wrong.push(format!("{file}: {s:?}: expected {want}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "misclassified:\n{}", wrong.join("\n"));
}

/// Drops the articles whose heads are in `labels` (a head line and every line up to the next
/// article or heading) from a LawRefBook markdown text.
fn without_articles(text: &str, labels: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let head = line.split([' ', '　']).next().unwrap_or("");
        let is_article = head.starts_with('第') && head.ends_with('条');
        if is_article || line.starts_with('#') {
            skipping = is_article && labels.contains(&head);
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn gaps_of(report: &Report, doc_id: &str) -> BTreeSet<String> {
    row(report, doc_id)
        .obligations
        .iter()
        .filter(|c| c.state == State::Gap)
        .map(|c| c.id.clone())
        .collect()
}

#[test]
fn a_draft_without_three_obligations_articles_reports_exactly_those_gaps() {
    let Some(real) = real_dir() else { return };
    let law_path = real.join("cn/national/public-library-law-2018.md");
    let law = std::fs::read_to_string(&law_path).expect("law");
    // Read in the law: 第十一条 alone gives the industry organisation a role; 第二十三条 alone
    // brings stakeholders into governance; 第四十三条 and 第五十条(二) protect readers' privacy.
    let removed = ["第十一条", "第二十三条", "第四十三条", "第五十条"];
    let draft_text = without_articles(&law, &removed);
    for label in removed {
        assert!(
            !draft_text.contains(&format!("\n{label} ")),
            "{label} still there"
        );
    }
    assert!(draft_text.contains("\n第四十九条 ") && draft_text.contains("\n第五十一条 "));
    let dir = tempfile::tempdir().expect("tempdir");
    let draft_path = dir.path().join("draft-library-law.md");
    std::fs::write(&draft_path, &draft_text).expect("write draft");

    // Model clauses must come from other laws, so the corpus leaves out every version of it.
    let corpus = load(std::slice::from_ref(&real));
    let docs: Vec<SegmentedDoc> = corpus
        .documents
        .into_iter()
        .filter(|d| !d.info.id.starts_with("public-library-law"))
        .collect();
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &docs);
    let original = load_one(&law_path);
    let draft = load_one(&draft_path);
    assert_eq!(draft.clauses.len() + removed.len(), original.clauses.len());
    let report = cov.report_external(&[original, draft], &[], ReportOptions::default());

    let before = gaps_of(&report, "public-library-law-2018");
    let after = gaps_of(&report, "draft-library-law");
    let new: BTreeSet<&str> = after.difference(&before).map(String::as_str).collect();
    assert_eq!(
        new,
        BTreeSet::from([
            "industry-association",
            "reader-privacy",
            "stakeholder-governance"
        ]),
        "gaps before {before:?}, after {after:?}"
    );
    assert!(before.is_subset(&after), "removing articles closed a gap?");
    let draft = row(&report, "draft-library-law");
    for id in &new {
        let cell = draft
            .obligations
            .iter()
            .find(|c| c.id == *id)
            .expect("cell");
        let suggestions = cell.suggestions.as_deref().unwrap_or(&[]);
        assert!(!suggestions.is_empty(), "{id}: no model clauses");
        for s in suggestions {
            assert!(
                !s.doc_id.starts_with("public-library-law") && s.doc_id != draft.doc_id,
                "{id}: model from the law itself: {}",
                s.doc_id
            );
            assert!(!s.snippet.is_empty() && !s.label.is_empty());
        }
        // Same language first: the Chinese draft gets Chinese models before any other.
        assert!(
            suggestions[0].language.starts_with("zh"),
            "{id}: first model in {}",
            suggestions[0].language
        );
    }
}

#[derive(Deserialize)]
struct Labels {
    doc: Vec<LabelledDoc>,
}

#[derive(Deserialize)]
struct LabelledDoc {
    /// Relative to corpus/real, or to LawRefBook-Laws/ inside the bulk tarball.
    file: String,
    /// `train` unless the file says otherwise.
    #[serde(default = "train")]
    split: String,
    #[serde(default)]
    scope: Option<String>,
    obligation: Vec<LabelledCell>,
}

fn train() -> String {
    "train".into()
}

#[derive(Deserialize)]
struct LabelledCell {
    id: String,
    state: String,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    general_evidence: Vec<String>,
    #[serde(default)]
    strength: Option<String>,
    /// `firm` or `borderline`: how sure the annotator was (older files leave it out).
    #[serde(default)]
    confidence: Option<String>,
}

/// An article reference reduced to comparable form: 第三十三条第二款 → "33", 第十条之一 → "10-1",
/// 제5조의2 → "5-2", "§ 9141(a)" / "Section 6" / "Article 7" → "9141" / "6" / "7", "Điều
/// 41.12.LQ.31" → "41.12.lq.31".
fn article_key(label: &str) -> Option<String> {
    let s: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(rest) = s.strip_prefix('第') {
        let end = rest.find(['条', '條'])?;
        let base = from_chinese(&rest[..end])?;
        let after = &rest[end + '条'.len_utf8()..];
        let sub = after
            .strip_prefix('之')
            .map(|r| {
                r.chars()
                    .take_while(|c| lawdex::grammar::is_numeral_char(*c))
                    .collect::<String>()
            })
            .and_then(|n| from_chinese(&n));
        return Some(match sub {
            Some(n) => format!("{base}-{n}"),
            None => base.to_string(),
        });
    }
    if let Some(rest) = s.strip_prefix('제') {
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let after = &rest[digits.len()..];
        let sub: String = after
            .strip_prefix("조의")
            .map(|r| r.chars().take_while(|c| c.is_ascii_digit()).collect())
            .unwrap_or_default();
        return Some(if sub.is_empty() {
            digits
        } else {
            format!("{digits}-{sub}")
        });
    }
    let start = s.find(|c: char| c.is_ascii_digit())?;
    // Dotted numbers are one key: Vietnam's codified articles (Điều 41.12.LQ.31, Điều
    // 41.12.NĐ.1.5) differ only after the first dot.
    let key: String = s[start..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect();
    Some(key.trim_end_matches('.').to_lowercase())
}

#[derive(Default)]
struct Tally {
    docs: usize,
    scope_judged: usize,
    scope_right: usize,
    cells: usize,
    correct: usize,
    pred_gap: usize,
    label_gap: usize,
    both_gap: usize,
    pred_cov: usize,
    label_cov: usize,
    both_cov: usize,
    evidence_judged: usize,
    evidence_hit: usize,
    top_hit: usize,
    strength_judged: usize,
    strength_agree: usize,
    unreadable_cells: usize,
    /// Cells lawdex calls firm (not borderline), those right, and its firm gaps.
    firm_cells: usize,
    firm_correct: usize,
    firm_pred_gap: usize,
    firm_both_gap: usize,
    /// Cells the annotator marked firm, and those lawdex got right: how much of the error is
    /// on cells a careful reader would not hesitate over.
    sure_cells: usize,
    sure_correct: usize,
    /// Documents lawdex reads as `partial` only through passing mentions (scope in doubt),
    /// and those of them the annotators call `none`.
    doubt_docs: usize,
    doubt_none: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl Tally {
    fn figures(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("accuracy", ratio(self.correct, self.cells)),
            ("gap_precision", ratio(self.both_gap, self.pred_gap)),
            ("gap_recall", ratio(self.both_gap, self.label_gap)),
            ("covered_precision", ratio(self.both_cov, self.pred_cov)),
            ("covered_recall", ratio(self.both_cov, self.label_cov)),
            ("scope_accuracy", ratio(self.scope_right, self.scope_judged)),
            ("top_evidence", ratio(self.top_hit, self.evidence_judged)),
            (
                "evidence_hit",
                ratio(self.evidence_hit, self.evidence_judged),
            ),
            // What a drafter reads from a cell's confidence: how often a firm cell, and a
            // firm gap, is right, and how many cells are firm.
            ("firm_share", ratio(self.firm_cells, self.cells)),
            ("firm_accuracy", ratio(self.firm_correct, self.firm_cells)),
            (
                "firm_gap_precision",
                ratio(self.firm_both_gap, self.firm_pred_gap),
            ),
            (
                "accuracy_on_firm_labels",
                ratio(self.sure_correct, self.sure_cells),
            ),
        ]
    }
}

/// A cell's evidence for the list of disagreements: labels, `g` for a general provision, `?`
/// for borderline; with LAWDEX_LABEL_SNIPPETS=1 also each snippet, to read why it counted.
fn evidence_brief(cell: &coverage::Cell) -> String {
    let snippets = std::env::var("LAWDEX_LABEL_SNIPPETS").as_deref() == Ok("1");
    let items: Vec<String> = cell
        .evidence
        .iter()
        .map(|e| {
            let mut s = e.label.clone();
            if e.general {
                s.push_str(" g");
            }
            if e.confidence == coverage::Confidence::Borderline {
                s.push('?');
            }
            if snippets {
                s.push_str(&format!(" «{}»", e.snippet));
            }
            s
        })
        .collect();
    let conf = cell.confidence.map(|c| c.name()).unwrap_or("-");
    format!("{conf} [{}]", items.join(" | "))
}

/// Every label file of tests/fixtures/coverage-labels/ (judged by reading the laws against
/// the taxonomy, never lawdex's output), measured per split against
/// tests/fixtures/coverage-floor.toml. The train split is what cues may be tuned on; the
/// held-out split is measured, never tuned on.
#[test]
fn labelled_set_meets_the_recorded_precision_and_recall() {
    let Some(shared) = crate::common::shared_dir() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but ../shared is absent: the labelled set cannot be measured"
        );
        return;
    };
    let real = shared.join("corpus/real");
    let dir = fixtures_dir().join("coverage-labels");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut docs: Vec<LabelledDoc> = Vec::new();
    for f in &files {
        let labels: Labels = toml::from_str(&std::fs::read_to_string(f).expect("labels"))
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        docs.extend(labels.doc);
    }
    // Each member once: tar reports a member named twice as missing the second time.
    let bulk_members: Vec<String> = docs
        .iter()
        .filter(|d| !real.join(&d.file).exists())
        .map(|d| d.file.clone())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let unpacked = tempfile::tempdir().expect("tempdir");
    let bulk_root = if bulk_members.is_empty() {
        unpacked.path().to_path_buf()
    } else {
        unpack_bulk(&shared, &bulk_members, unpacked.path())
    };
    let paths: Vec<PathBuf> = docs
        .iter()
        .map(|d| {
            let r = real.join(&d.file);
            if r.exists() {
                r
            } else {
                bulk_root.join(&d.file)
            }
        })
        .collect();
    let corpus = load(&paths);
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &corpus.documents);
    let rows: Vec<usize> = (0..corpus.documents.len()).collect();
    let report = cov.report(
        &rows,
        &unreadable(&corpus),
        ReportOptions {
            max_evidence: 5,
            max_suggestions: 0,
        },
    );
    let by_source: HashMap<String, &lawdex::coverage::DocReport> = report
        .documents
        .iter()
        .map(|d| (d.source.clone(), d))
        .collect();

    let mut tallies: std::collections::BTreeMap<String, Tally> = Default::default();
    let mut misses = Vec::new();
    for (doc, file) in docs.iter().zip(&paths) {
        let t = tallies.entry(doc.split.clone()).or_default();
        let row = by_source
            .get(&file.display().to_string())
            .unwrap_or_else(|| panic!("no report row for {}", doc.file));
        t.docs += 1;
        if row.scope_doubt.is_some() {
            t.doubt_docs += 1;
            t.doubt_none += usize::from(doc.scope.as_deref() == Some("none"));
        }
        if let Some(want) = &doc.scope {
            t.scope_judged += 1;
            let got = row.scope.map(|s| s.name()).unwrap_or("unknown");
            if got == want {
                t.scope_right += 1;
            } else {
                misses.push(format!(
                    "[{}] {}: scope labelled {want}, found {got} ({})",
                    doc.split, doc.file, row.scope_reason
                ));
            }
        }
        for label in &doc.obligation {
            let cell = row
                .obligations
                .iter()
                .find(|c| c.id == label.id)
                .unwrap_or_else(|| panic!("{}: unknown obligation {}", doc.file, label.id));
            if row.unknown.is_some() {
                // A parser's failure, counted apart: coverage never turns it into a gap.
                assert_eq!(cell.state, State::Unknown);
                t.unreadable_cells += 1;
                continue;
            }
            t.cells += 1;
            let predicted = cell.state.name();
            if predicted == label.state {
                t.correct += 1;
            } else {
                misses.push(format!(
                    "[{}] {} {}: labelled {}, found {} {:?}",
                    doc.split,
                    doc.file,
                    label.id,
                    label.state,
                    predicted,
                    evidence_brief(cell)
                ));
            }
            if label.confidence.as_deref() == Some("firm") {
                t.sure_cells += 1;
                t.sure_correct += usize::from(predicted == label.state);
            }
            let label_gap = label.state == "gap";
            let pred_gap = cell.state == State::Gap;
            if cell.confidence == Some(coverage::Confidence::Firm) {
                t.firm_cells += 1;
                t.firm_correct += usize::from(predicted == label.state);
                t.firm_pred_gap += usize::from(pred_gap);
                t.firm_both_gap += usize::from(pred_gap && label_gap);
            }
            t.label_gap += usize::from(label_gap);
            t.pred_gap += usize::from(pred_gap);
            t.both_gap += usize::from(label_gap && pred_gap);
            let label_cov = label.state == "covered";
            let pred_cov = cell.state == State::Covered;
            t.label_cov += usize::from(label_cov);
            t.pred_cov += usize::from(pred_cov);
            t.both_cov += usize::from(label_cov && pred_cov);
            let wanted: BTreeSet<String> = label
                .evidence
                .iter()
                .chain(&label.general_evidence)
                .filter_map(|l| article_key(l))
                .collect();
            if label_cov && pred_cov && !wanted.is_empty() {
                t.evidence_judged += 1;
                let key = |e: &coverage::Evidence| {
                    article_key(&e.article).or_else(|| article_key(&e.label))
                };
                let hit = cell
                    .evidence
                    .iter()
                    .filter_map(key)
                    .any(|k| wanted.contains(&k));
                let top = cell
                    .evidence
                    .first()
                    .and_then(key)
                    .is_some_and(|k| wanted.contains(&k));
                t.evidence_hit += usize::from(hit);
                t.top_hit += usize::from(top);
                if !top {
                    misses.push(format!(
                        "[{}] {} {}: top evidence {:?}, labelled {:?}",
                        doc.split,
                        doc.file,
                        label.id,
                        cell.evidence
                            .iter()
                            .map(|e| e.label.as_str())
                            .collect::<Vec<_>>(),
                        wanted
                    ));
                }
            }
            if let (true, Some(want), Some(got)) =
                (label_cov && pred_cov, &label.strength, cell.strength)
            {
                t.strength_judged += 1;
                t.strength_agree += usize::from(got.name() == want.as_str());
                if got.name() != want.as_str() {
                    misses.push(format!(
                        "[{}] {} {}: strength labelled {want}, found {} {:?}",
                        doc.split,
                        doc.file,
                        label.id,
                        got.name(),
                        evidence_brief(cell)
                    ));
                }
            }
        }
    }
    eprintln!("{}", misses.join("\n"));

    let floor_path = fixtures_dir().join("coverage-floor.toml");
    let floors: HashMap<String, HashMap<String, f64>> =
        toml::from_str(&std::fs::read_to_string(&floor_path).expect("floor file"))
            .unwrap_or_else(|e| panic!("{}: {e}", floor_path.display()));
    let mut failures = Vec::new();
    for (split, t) in &tallies {
        let figures = t.figures();
        eprintln!(
            "split {split}: {} documents, {} cells judged ({} of unreadable documents skipped); \
             {}; strength agreement {:.3} ({}/{}); firm gaps right {}/{}; cells labelled firm \
             {}/{}; scope in doubt {} (labelled none {})",
            t.docs,
            t.cells,
            t.unreadable_cells,
            figures
                .iter()
                .map(|(k, v)| format!("{k} {v:.3}"))
                .collect::<Vec<_>>()
                .join(", "),
            ratio(t.strength_agree, t.strength_judged),
            t.strength_agree,
            t.strength_judged,
            t.firm_both_gap,
            t.firm_pred_gap,
            t.sure_correct,
            t.sure_cells,
            t.doubt_docs,
            t.doubt_none
        );
        let Some(floor) = floors.get(split) else {
            failures.push(format!(
                "split {split} has no [{split}] floors in {}",
                floor_path.display()
            ));
            continue;
        };
        for (name, value) in &figures {
            if let Some(min) = floor.get(*name) {
                if *value + 1e-9 < *min {
                    failures.push(format!("split {split}: {name} {value:.3} < floor {min}"));
                }
            }
        }
    }
    assert!(
        tallies.get("train").is_some_and(|t| t.cells >= 19 * 10),
        "too few train cells judged"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn article_keys_compare_citations_across_forms() {
    assert_eq!(article_key("第三十三条第二款").as_deref(), Some("33"));
    assert_eq!(article_key("第十条之一").as_deref(), Some("10-1"));
    assert_eq!(article_key("第 7 條").as_deref(), Some("7"));
    assert_eq!(article_key("제5조의2제1항").as_deref(), Some("5-2"));
    assert_eq!(article_key("§ 9141(a)").as_deref(), Some("9141"));
    assert_eq!(article_key("Section 6 ¶2").as_deref(), Some("6"));
    assert_eq!(article_key("Article 17").as_deref(), Some("17"));
}

#[test]
fn an_unreadable_document_is_unknown_never_a_gap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, "").expect("write");
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "# 会议纪要\n\n今天讨论了图书馆的开放时间。\n").expect("write");
    let corpus = load(&[dir.path().to_path_buf()]);
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &corpus.documents);
    let rows: Vec<usize> = (0..corpus.documents.len()).collect();
    let report = cov.report(&rows, &unreadable(&corpus), ReportOptions::default());
    assert_eq!(report.documents.len(), 2);
    for d in &report.documents {
        assert!(d.unknown.is_some(), "{}: {:?}", d.doc_id, d.unknown);
        assert!(d.obligations.iter().all(|c| c.state == State::Unknown));
    }
    let t = report.totals();
    assert_eq!(
        (t.covered, t.gaps, t.unknown, t.not_applicable),
        (0, 0, 38, 0)
    );
}

fn hostile_clause(n: u32, text: &str) -> Clause {
    Clause {
        id: ClauseId(format!("hostile/art{n}")),
        doc_id: "hostile".into(),
        ordinal: n,
        kind: ClauseKind::Article,
        label: format!("第{}条", lawdex::grammar::to_chinese(n)),
        number: None,
        caption: String::new(),
        headings: Vec::new(),
        paragraphs: vec![text.to_string()],
        text: text.to_string(),
        origin: Origin::default(),
    }
}

#[test]
fn html_report_is_self_contained_escaped_and_linked() {
    // Text as a hostile page could deliver it: markup inside the law's words.
    let doc = SegmentedDoc {
        info: DocInfo {
            id: "hostile".into(),
            source: "hostile.html".into(),
            title: "某市图书馆管理办法<img src=x onerror=alert(1)>".into(),
            format: Format::Html,
            language: "zh-Hans".into(),
            jurisdiction: "CN-XX".into(),
            level: "municipal".into(),
            kind: String::new(),
            status: String::new(),
            year: None,
            structure: "articles".into(),
            preamble: Vec::new(),
            error: None,
            content_hash: String::new(),
            parser_version: 0,
            meta_hash: String::new(),
            origin: None,
            edition: Default::default(),
        },
        clauses: vec![
            hostile_clause(1, "图书馆应当免费向社会公众开放<script>alert(1)</script>。"),
            hostile_clause(2, "图书馆应当保护读者的个人信息\"'&。"),
        ],
    };
    let docs = vec![doc];
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &docs);
    let report = cov.report(&[0], &[], ReportOptions::default());
    let mut html = Vec::new();
    render::write_html(&report, render::View::default(), &mut html).expect("render");
    let html = String::from_utf8(html).expect("utf-8");
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "text reached the page as markup"
    );
    assert!(html.contains("&lt;script&gt;") && html.contains("&lt;img src=x"));
    assert!(!html.contains("<link") && !html.contains("@import") && !html.contains("url("));
    // Every cell links to an anchor that exists in the file.
    assert_eq!(html.matches("<td class=").count(), 19);
    for part in html.split("<td class=").skip(1) {
        let href = part
            .split("href=\"#")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("href");
        assert!(
            html.contains(&format!("id=\"{href}\"")),
            "dangling link #{href}"
        );
    }
    assert!(html.contains("<mark>免费</mark>"));
    assert!(
        html.contains("class=\"gap\""),
        "a two-article rule has gaps"
    );
    assert!(html.contains("&quot;&#39;&amp;"));
}

#[test]
fn cli_json_has_the_documented_fields_and_exit_code() {
    let Some(real) = real_dir() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("gaps.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["gaps", "--corpus"])
        .arg(&real)
        .args([
            "--doc",
            "beijing-library-regulations-2002",
            "--format",
            "json",
            "--output",
        ])
        .arg(&out)
        .status()
        .expect("run lawdex");
    assert_eq!(status.code(), Some(1), "gaps found → exit 1");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("json")).expect("parse");
    let docs = json["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    for key in ["doc_id", "source", "title", "jurisdiction"] {
        assert!(d[key].is_string(), "missing {key}");
    }
    assert_eq!(d["jurisdiction"], "CN-BJ");
    assert_eq!(d["scope_confidence"], "firm");
    assert!(d.get("scope_doubt").is_none());
    let cells = d["obligations"].as_array().expect("obligations");
    assert_eq!(cells.len(), 19);
    let mut saw_gap = false;
    for c in cells {
        assert!(c["id"].is_string() && c["state"].is_string() && c["evidence"].is_array());
        match c["state"].as_str() {
            Some("covered") => {
                assert!(c["strength"].is_string());
                let e = &c["evidence"][0];
                for key in ["clause_id", "label", "snippet"] {
                    assert!(e[key].is_string(), "evidence without {key}");
                }
                assert!(e["score"].is_number());
            }
            Some("gap") => {
                saw_gap = true;
                assert!(c["strength"].is_null());
                for s in c["suggestions"].as_array().expect("suggestions") {
                    for key in [
                        "doc_id",
                        "title",
                        "clause_id",
                        "label",
                        "snippet",
                        "strength",
                        "jurisdiction",
                    ] {
                        assert!(s[key].is_string(), "suggestion without {key}");
                    }
                }
            }
            other => panic!("state {other:?}"),
        }
    }
    assert!(saw_gap);

    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(["gaps", "--corpus"])
        .arg(real.join("cn"))
        .args(["--doc", "no-such-law"])
        .output()
        .expect("run lawdex");
    assert_eq!(status.status.code(), Some(2));
}

/// A regulation naming libraries only where its ban binds whoever enters (our own text, in the
/// shape of the dog-management regulations annotators disagree on) is in scope with its scope
/// in doubt, in every format, and every cell is borderline; the same text binding the places'
/// managers is not in doubt.
#[test]
fn a_scope_in_doubt_is_said_in_every_format_and_makes_every_cell_borderline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let law = "# 河湾市养犬管理条例\n\n\
               第一条 为了规范养犬行为，维护市容环境和社会秩序，制定本条例。\n\n\
               第二条 市公安机关是本市养犬管理的主管部门，负责本条例的组织实施和监督检查。\n\n\
               第三条 禁止携带犬只进入图书馆、博物馆、影剧院等公共场所。\n\n\
               第四条 违反本条例第三条规定的，由公安机关处二百元以上五百元以下罚款。\n";
    let file = dir.path().join("hewan-dogs.md");
    std::fs::write(&file, law).unwrap();
    let run = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lawdex"))
            .args(["gaps", "--format", format, "--corpus"])
            .arg(&file)
            .output()
            .expect("run lawdex");
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let d = &json["documents"][0];
    assert_eq!(d["scope"], "partial", "{}", d["scope_reason"]);
    assert_eq!(d["scope_confidence"], "borderline");
    assert!(d["scope_doubt"].as_str().unwrap().contains("forbidden"));
    let cells = d["obligations"].as_array().unwrap();
    assert_eq!(cells.len(), 19);
    assert!(
        cells.iter().all(|c| c["confidence"] == "borderline"),
        "{cells:?}"
    );
    assert!(run("table").contains("scope in doubt, every cell borderline"));
    assert!(run("md").contains("Scope in doubt, every cell borderline"));
    assert!(run("html").contains("Scope in doubt, every cell borderline"));
    let csv = run("csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header
        .iter()
        .position(|h| *h == "scope_confidence")
        .unwrap();
    assert!(
        lines.all(|l| l.split(',').nth(at) == Some("borderline")),
        "{csv}"
    );

    // The managers of those places bound: the library is regulated through them.
    let bound = law.to_string() + "\n第五条 前款规定的禁入场所的管理人应当设置禁入标志。\n";
    std::fs::write(&file, bound).unwrap();
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let d = &json["documents"][0];
    assert_eq!(d["scope"], "partial");
    assert_eq!(d["scope_confidence"], "firm", "{}", d["scope_doubt"]);
}

/// Files parsed and segmented exactly as `lawdex index` and `lawdex gaps --corpus` read them.
fn load(inputs: &[PathBuf]) -> lawdex::ingest::Loaded {
    lawdex::ingest::load(inputs, &Limits::default()).expect("load corpus")
}

fn load_one(path: &Path) -> SegmentedDoc {
    let mut loaded = load(&[path.to_path_buf()]);
    assert!(loaded.failures.is_empty(), "{:?}", loaded.failures);
    loaded.documents.remove(0)
}

fn unreadable(corpus: &lawdex::ingest::Loaded) -> Vec<coverage::Unreadable> {
    corpus
        .failures
        .iter()
        .map(|f| coverage::Unreadable {
            doc_id: lawdex::model::doc_id_from_path(Path::new(&f.source)),
            source: f.source.clone(),
            reason: f.error.clone(),
        })
        .collect()
}

/// A document that fails to parse stays in the index as a clause-less record with its error,
/// so the report from the index shows it as `unknown`, never as a row of gaps; and a good
/// text indexed before is not replaced by a failed one.
#[test]
fn unreadable_documents_are_unknown_in_reports_from_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("laws");
    std::fs::create_dir(&corpus).expect("mkdir");
    std::fs::write(
        corpus.join("good-library-rules.md"),
        "# 某市图书馆规定\n\n第一条 图书馆应当免费向社会公众开放。\n",
    )
    .expect("write");
    std::fs::write(
        corpus.join("broken-library-rules.pdf"),
        b"%PDF-1.7\n1 0 obj <<",
    )
    .expect("write");
    let data = dir.path().join("data");
    let lawdex = env!("CARGO_BIN_EXE_lawdex");
    let index = std::process::Command::new(lawdex)
        .arg("index")
        .arg("--data-dir")
        .arg(&data)
        .arg(&corpus)
        .output()
        .expect("index");
    assert_eq!(index.status.code(), Some(1), "one input failed");
    let gaps = std::process::Command::new(lawdex)
        .args(["gaps", "--format", "json", "--data-dir"])
        .arg(&data)
        .output()
        .expect("gaps");
    let report: serde_json::Value = serde_json::from_slice(&gaps.stdout).expect("json");
    let docs = report["documents"].as_array().expect("documents");
    let broken = docs
        .iter()
        .find(|d| d["doc_id"] == "broken-library-rules")
        .expect("the broken document is reported");
    let states: BTreeSet<&str> = broken["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .filter_map(|o| o["state"].as_str())
        .collect();
    assert_eq!(states, BTreeSet::from(["unknown"]));
    let good = docs
        .iter()
        .find(|d| d["doc_id"] == "good-library-rules")
        .expect("good");
    let free = good["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .find(|o| o["id"] == "free-basic-services")
        .expect("cell");
    assert_eq!(free["state"], "covered");

    // Re-indexing after the good file broke keeps its last good text.
    std::fs::write(corpus.join("good-library-rules.md"), b"").expect("truncate");
    let again = std::process::Command::new(lawdex)
        .arg("index")
        .arg("--data-dir")
        .arg(&data)
        .arg(&corpus)
        .output()
        .expect("index");
    assert_eq!(again.status.code(), Some(1));
    let show = std::process::Command::new(lawdex)
        .args(["show", "good-library-rules/art1", "--data-dir"])
        .arg(&data)
        .output()
        .expect("show");
    assert!(
        String::from_utf8_lossy(&show.stdout).contains("免费"),
        "kept the good text"
    );
}

/// Issue 8: a law that never names a library is out of scope (every cell `not-applicable`,
/// with the reason), never a row of 19 gaps; the criminal law, whose art. 327 punishes
/// 国有博物馆、图书馆等单位 for selling protected relics, regulates libraries in part and cites
/// that article as evidence.
#[test]
fn documents_out_of_scope_are_not_applicable_and_the_criminal_law_is_partial() {
    let Some(shared) = crate::common::shared_dir() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but ../shared is absent"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let root = unpack_bulk(&shared, &["刑法/刑法.md".to_string()], dir.path());
    let criminal = root.join("刑法/刑法.md");
    let aviation = shared.join("corpus/real/jp/civil-aeronautics-act-egov.xml");
    let corpus = load(&[criminal.clone(), aviation.clone()]);
    assert!(corpus.failures.is_empty(), "{:?}", corpus.failures);
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &corpus.documents);
    let report = cov.report(&[0, 1], &[], ReportOptions::default());
    let row = |p: &Path| {
        report
            .documents
            .iter()
            .find(|d| d.source == p.display().to_string())
            .expect("row")
    };

    let crim = row(&criminal);
    assert_eq!(
        crim.scope,
        Some(coverage::Scope::Partial),
        "{}",
        crim.scope_reason
    );
    let cited: Vec<(&str, &str)> = crim
        .obligations
        .iter()
        .filter(|c| c.state == State::Covered)
        .flat_map(|c| {
            c.evidence
                .iter()
                .map(move |e| (c.id.as_str(), e.article.as_str()))
        })
        .collect();
    assert!(
        cited.iter().any(|(o, a)| *a == "第三百二十七条"
            && (*o == "legal-liability" || *o == "heritage-preservation")),
        "art. 327 not cited: {cited:?}"
    );

    let air = row(&aviation);
    assert_eq!(air.language, "ja");
    assert_eq!(
        air.scope,
        Some(coverage::Scope::None),
        "{}",
        air.scope_reason
    );
    assert!(air.unknown.is_none());
    assert!(air
        .obligations
        .iter()
        .all(|c| c.state == State::NotApplicable && c.reason.is_some()));
    assert_eq!((air.gaps, air.not_applicable), (0, 19));

    // The table shows it apart: counted, not a row, listed with --all.
    let mut table = Vec::new();
    render::write_table(&report, render::View::default(), &mut table).expect("table");
    let table = String::from_utf8(table).expect("utf-8");
    assert!(!table.contains(&air.doc_id), "{table}");
    assert!(table.contains("1 document out of scope"), "{table}");
    let mut all = Vec::new();
    render::write_table(&report, render::View { all: true }, &mut all).expect("table");
    assert!(String::from_utf8(all).expect("utf-8").contains(&air.doc_id));
    // So do Markdown, CSV and the HTML heat map; JSON lists every document with its scope.
    type Writer = fn(&Report, render::View, &mut dyn std::io::Write) -> std::io::Result<()>;
    for (name, write) in [
        ("md", render::write_markdown as Writer),
        ("csv", render::write_csv as Writer),
        ("html", render::write_html as Writer),
    ] {
        let mut out = Vec::new();
        write(&report, render::View::default(), &mut out).expect("render");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(
            !out.contains(&air.doc_id),
            "{name} shows the out-of-scope row"
        );
        let mut out = Vec::new();
        write(&report, render::View { all: true }, &mut out).expect("render");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains(&air.doc_id), "{name} --all does not list it");
    }
    let mut json = Vec::new();
    render::write_json(&report, &mut json).expect("json");
    let json: serde_json::Value = serde_json::from_slice(&json).expect("parse");
    let scopes: Vec<&str> = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter_map(|d| d["scope"].as_str())
        .collect();
    assert_eq!(scopes.len(), 2);
    assert!(scopes.contains(&"none") && scopes.contains(&"partial"));
}

fn draft_doc(id: &str, articles: &[&str]) -> SegmentedDoc {
    let clauses = articles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut c = hostile_clause(i as u32 + 1, t);
            c.id = ClauseId(format!("{id}/art{}", i + 1));
            c.doc_id = id.into();
            c
        })
        .collect();
    SegmentedDoc {
        info: DocInfo::new(
            id,
            format!("{id}.md"),
            "某市公共图书馆条例（草案）",
            Format::Markdown,
            "zh-Hans",
        ),
        clauses,
    }
}

/// A draft with a title: the title decides scope and the subject's fields.
fn titled(id: &str, title: &str, articles: &[&str]) -> SegmentedDoc {
    let mut d = draft_doc(id, articles);
    d.info.title = title.into();
    d
}

/// The built-in taxonomy's report on documents that are not indexed.
fn external_report(docs: &[SegmentedDoc]) -> Report {
    let m = matcher();
    CorpusCoverage::compute(&m, &[]).report_external(docs, &[], ReportOptions::default())
}

/// Asserts the state of one cell of a report.
#[track_caller]
fn assert_state(report: &Report, doc: &str, obligation: &str, state: State) {
    assert_eq!(
        cell(report, doc, obligation).state,
        state,
        "{doc} {obligation}"
    );
}

/// A document's row of a report.
fn row<'r>(report: &'r Report, doc: &str) -> &'r coverage::DocReport {
    report
        .documents
        .iter()
        .find(|d| d.doc_id == doc)
        .unwrap_or_else(|| panic!("no row {doc}"))
}

fn cell<'r>(report: &'r Report, doc: &str, obligation: &str) -> &'r coverage::Cell {
    row(report, doc)
        .obligations
        .iter()
        .find(|c| c.id == obligation)
        .expect("cell")
}

/// Asserts a document's scope, printing its reason when it differs.
fn assert_scope(report: &Report, doc: &str, scope: coverage::Scope) {
    let r = row(report, doc);
    assert_eq!(r.scope, Some(scope), "{doc}: {}", r.scope_reason);
}

/// Issue 9 item 4: a cue word whose object is not the obligation's (free parking is not a
/// free library service; training staff is not educating the public) does not cover it, in
/// any wording of that class; the service itself still does.
#[test]
fn free_parking_and_staff_training_do_not_cover_services_to_the_public() {
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &[]);
    let parking = draft_doc(
        "parking",
        &[
            "公共图书馆停车场可以为读者提供免费停车。",
            "公共图书馆应当为读者免费提供停车位，并免费寄存随身物品。",
            "公共图书馆应当定期组织工作人员参加业务培训。",
            "公共图书馆应当加强业务培训和岗位培训，提高服务水平。",
        ],
    );
    let service = draft_doc(
        "service",
        &[
            "公共图书馆应当免费向社会公众开放。",
            "公共图书馆应当面向公众开展阅读推广和公益讲座、培训。",
        ],
    );
    let report = cov.report_external(&[parking, service], &[], ReportOptions::default());
    assert_state(&report, "parking", "free-basic-services", State::Gap);
    assert_state(&report, "parking", "reading-and-education", State::Gap);
    assert_state(&report, "parking", "staff-professionalism", State::Covered);
    assert_state(&report, "service", "free-basic-services", State::Covered);
    assert_state(&report, "service", "reading-and-education", State::Covered);
    let free = cell(&report, "service", "free-basic-services");
    assert_eq!(free.confidence, Some(coverage::Confidence::Firm));
}

/// Issue 8 (documents regulating libraries among other bodies): a library's duty to educate
/// the public on the document's topic is social education, whatever the topic; the same words
/// about the library's staff are not. A sanction on every 部门、单位 failing the text's duties,
/// and the State's own commitment (国家支持…培训), are general provisions. A text naming libraries only where visitors are bound is out of
/// scope.
#[test]
fn public_education_on_any_topic_counts_and_visitor_rules_are_out_of_scope() {
    let topic = titled(
        "topic",
        "某市防灾减灾条例",
        &[
            "学校应当开展防灾知识教学。",
            "公共图书馆、博物馆等场馆应当开展防灾减灾宣传教育活动。",
            "气象部门应当发布预警信息。",
            "负有防灾减灾职责的部门、单位不依法履行职责的，对直接责任人员依法给予处分。",
            "国家支持加强防灾减灾专业人才的培训。",
        ],
    );
    let staff = titled(
        "staff",
        "某市防灾减灾条例",
        &[
            "公共图书馆应当组织工作人员参加防灾宣传教育活动。",
            "气象部门应当发布预警信息。",
        ],
    );
    let conduct = titled(
        "conduct",
        "某市文明行为条例",
        &[
            "市民应当自觉遵守下列规定：\n（一）在图书馆、影剧院内保持安静；\n（二）爱护公共设施。",
            "任何单位和个人有权投诉不文明行为。",
        ],
    );
    // Reading matter a library stocks on a topic, and education it gives families, are
    // reading service and social education too.
    let matter = titled(
        "matter",
        "某市禁毒条例",
        &[
            "公安机关应当加强禁毒宣传。",
            "公共图书馆、基层综合性文化服务中心等公共文化设施应当配备禁毒知识读物。",
        ],
    );
    let family = titled(
        "family",
        "某市家庭教育促进条例",
        &[
            "父母应当履行家庭教育责任。",
            "公共图书馆、博物馆等公共文化设施管理单位应当定期开展公益性家庭教育指导活动。",
            "县级以上人民政府应当将家庭教育指导服务所需经费列入本级财政预算。",
        ],
    );
    // Each part of a sentence between semicolons that opens with its own actor is that actor's
    // rule: the websites' column is no digital service of the library.
    let media = titled(
        "media",
        "某市科学技术普及条例",
        &[
            "科普是公益事业。",
            "报纸、期刊、互联网站应当开设科普专栏；广播电台应当播出科普节目；图书馆、文化馆等应当发挥科普教育的作用。",
        ],
    );
    // 乡镇 in the actor's name says nothing of rural reach, and 民间 in folk culture (民族民间
    // 文化) names no private support.
    let village = titled(
        "village",
        "某市文明行为促进条例",
        &[
            "公共图书馆、文化馆应当开展文明行为宣传教育。",
            "乡镇人民政府应当完善基本公共文化服务体系，传承和保护优秀民族民间文化，丰富群众文化生活。",
        ],
    );
    // A part after a semicolon that goes on with the library's duty (a condition, a fronted
    // object) stays the library's; a ban on some reading matter is no reading service; a library
    // reaching out to the grassroots centres is rural reach.
    let goes_on = titled(
        "goes-on",
        "某市未成年人保护条例",
        &[
            "父母应当履行监护职责。",
            "公共图书馆应当设立少年儿童阅览区域；根据少年儿童的特点配备相应的专业人员，开展阅读指导和社会教育活动。",
            "公共图书馆应当免费开放；对未成年人、老年人、残疾人等应当提供便利服务。",
            "县级公共图书馆应当将服务延伸至基层综合性文化服务中心。",
        ],
    );
    let banned = titled(
        "banned",
        "某市未成年人保护条例（二）",
        &[
            "父母应当履行监护职责。",
            "图书馆、书店不得向未成年人提供含有淫秽、暴力等内容的读物。",
        ],
    );
    // Popularising the social sciences is popularisation, as science popularisation is.
    let social_science = titled(
        "social-science",
        "某省社会科学普及条例",
        &[
            "图书馆、博物馆等公共文化设施应当开展社会科学普及活动。",
            "县级以上人民政府应当加强社会科学普及人才的培养和队伍建设。",
        ],
    );
    // An internet café listed beside the library is no digital service of the library's; the
    // library's own terminals for minors are.
    let cafe = titled(
        "cafe",
        "某省未成年人保护条例",
        &["爱国主义教育基地、图书馆、青少年宫以及公益性互联网上网服务等场所，应当对未成年人免费开放；博物馆、展览馆等场所应当优惠开放。"],
    );
    let terminals = titled(
        "terminals",
        "某省未成年人保护条例",
        &[
            "图书馆、文化馆等场所为未成年人提供的互联网上网服务设施，应当安装未成年人网络保护软件。",
            "公共图书馆应当设立公益性互联网上网服务场所，为未成年人免费提供上网服务。",
        ],
    );
    let base_last = titled(
        "base-last",
        "某省未成年人保护条例",
        &["图书馆、博物馆、纪念馆和爱国主义教育基地，应当对未成年人免费开放。"],
    );
    let report = external_report(&[
        cafe,
        terminals,
        base_last,
        topic,
        staff,
        conduct,
        matter,
        family,
        media,
        village,
        goes_on,
        banned,
        social_science,
    ]);
    assert_state(&report, "cafe", "digital-divide", State::Gap);
    // Nor is an education base listed beside it the library's education.
    assert_state(&report, "cafe", "reading-and-education", State::Gap);
    assert_state(&report, "base-last", "reading-and-education", State::Gap);
    let terminals = cell(&report, "terminals", "digital-divide");
    assert_eq!(terminals.evidence.len(), 2, "{:?}", terminals.evidence);
    assert_state(&report, "terminals", "digital-divide", State::Covered);
    let talent = cell(&report, "social-science", "staff-professionalism");
    assert_eq!(talent.state, State::Covered, "{:?}", talent.evidence);
    assert!(talent.evidence[0].general);
    for (id, article) in [
        ("reading-and-education", "第二条"),
        ("vulnerable-groups", "第三条"),
        ("rural-and-remote", "第四条"),
    ] {
        let c = cell(&report, "goes-on", id);
        assert_eq!(c.state, State::Covered, "{id}");
        assert_eq!(c.evidence[0].article, article, "{id}");
    }
    assert_state(&report, "banned", "reading-and-education", State::Gap);
    for id in ["rural-and-remote", "social-participation"] {
        let c = cell(&report, "village", id);
        assert_eq!(c.state, State::Gap, "{id}: {:?}", c.evidence);
    }
    assert_state(&report, "media", "reading-and-education", State::Covered);
    assert_state(&report, "media", "digital-divide", State::Gap);
    let education = cell(&report, "topic", "reading-and-education");
    assert_eq!(education.state, State::Covered);
    assert_eq!(education.evidence[0].article, "第二条");
    for doc in ["matter", "family"] {
        let education = cell(&report, doc, "reading-and-education");
        assert_eq!(education.state, State::Covered, "{doc}");
        assert_eq!(education.evidence[0].article, "第二条", "{doc}");
    }
    // Family education is work libraries carry out: its funding reaches them (GUIDE.md, rule 2).
    let funding = cell(&report, "family", "government-funding-planning");
    assert_eq!(funding.state, State::Covered);
    assert!(funding.evidence[0].general);
    // 基层综合性文化服务中心 is the name of a kind of facility, not a service reaching the
    // countryside.
    assert_state(&report, "matter", "rural-and-remote", State::Gap);
    // A sanction on every body that fails the duties of the text reaches the library's.
    let liability = cell(&report, "topic", "legal-liability");
    assert_eq!(liability.state, State::Covered);
    assert!(liability.evidence[0].general, "{:?}", liability.evidence);
    // Training disaster-prevention talent gives resources to a field that is not the
    // library's work: no staff provision for libraries (GUIDE.md, rule 2).
    let staff_training = cell(&report, "topic", "staff-professionalism");
    assert_eq!(
        staff_training.state,
        State::Gap,
        "{:?}",
        staff_training.evidence
    );
    assert_state(&report, "staff", "reading-and-education", State::Gap);
    assert_scope(&report, "conduct", coverage::Scope::None);
    assert!(row(&report, "conduct")
        .obligations
        .iter()
        .all(|c| c.state == State::NotApplicable));
}

/// Issue 9 item 6: model clauses come best first (the national law's 第三十三条 for free basic
/// services, not the sixth in document-id order; a clause stating the duty before one naming a
/// cue in passing), never two copies of one article's text (the
/// 2017 and 2018 texts share it), never from or for a document out of scope.
#[test]
fn model_clauses_rank_the_squarest_statement_first_without_repeats() {
    let Some(real) = real_dir() else { return };
    let corpus = load(&[real.join("cn")]);
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &corpus.documents);
    let draft = draft_doc(
        "draft",
        &[
            "为了促进本市公共图书馆事业发展，制定本条例。",
            "公共图书馆应当保护读者的个人信息。",
        ],
    );
    let museum = corpus
        .documents
        .iter()
        .position(|d| d.info.id.starts_with("museum-regulations"))
        .expect("museum regulations");
    let opts = ReportOptions {
        max_evidence: 3,
        max_suggestions: 5,
    };
    let report = cov.report_external(&[draft], &[], opts);
    let free = cell(&report, "draft", "free-basic-services");
    assert_eq!(free.state, State::Gap);
    let models = free.suggestions.as_deref().expect("suggestions");
    assert_eq!(models.len(), 5);
    assert!(
        models[0].doc_id.starts_with("public-library-law")
            && models[0].label.starts_with("第三十三条"),
        "first model: {} {}",
        models[0].doc_id,
        models[0].label
    );
    // A model states the duty, not one cue in passing: the library law's donor-naming rule
    // (…符合国家利益和社会公共利益) is no model of the library's public-welfare mission.
    let mission = cell(&report, "draft", "explicit-social-responsibility");
    let models = mission.suggestions.as_deref().expect("suggestions");
    assert!(!models.is_empty());
    for s in models {
        assert!(!s.snippet.contains("捐赠者"), "{} {}", s.label, s.snippet);
    }
    assert!(
        ["公益", "社会责任", "文化权益"]
            .iter()
            .any(|w| models[0].snippet.contains(w)),
        "first model: {} {}",
        models[0].label,
        models[0].snippet
    );
    for (i, o) in report.documents[0].obligations.iter().enumerate() {
        let list = o.suggestions.as_deref().unwrap_or(&[]);
        let texts: BTreeSet<String> = list
            .iter()
            .map(|s| s.snippet.chars().filter(|c| c.is_alphanumeric()).collect())
            .collect();
        assert_eq!(texts.len(), list.len(), "{}: the same text twice", o.id);
        for s in list {
            let src = cov
                .docs()
                .iter()
                .position(|d| d.info.id == s.doc_id)
                .expect("source");
            assert_ne!(
                cov.matches(src).expect("matches").scope,
                coverage::Scope::None,
                "obligation {i}: model from an out-of-scope document"
            );
        }
        // Ranked: never a borderline model before a firm one of the same language.
        for w in list.windows(2) {
            assert!(
                w[0].confidence >= w[1].confidence || w[0].language != w[1].language,
                "{}: {} {} before {} {}",
                o.id,
                w[0].doc_id,
                w[0].label,
                w[1].doc_id,
                w[1].label
            );
        }
    }
    // The museum regulation never names a library: out of scope, no cell asks for models.
    let museum_report = cov.report(&[museum], &[], opts);
    let row = &museum_report.documents[0];
    assert_eq!(row.scope, Some(coverage::Scope::None));
    assert!(row.obligations.iter().all(|c| c.suggestions.is_none()));
}

/// Issue 9 item 9: the table never cuts an id the user pastes back into --doc, and a matrix
/// carries model clauses only when --suggestions asks (a single document gets them by default).
#[test]
fn gaps_table_keeps_whole_ids_and_matrices_skip_suggestions_unless_asked() {
    let Some(real) = real_dir() else { return };
    let lawdex = env!("CARGO_BIN_EXE_lawdex");
    let dir = real.join("cn/shanghai");
    // Out of scope (it never names a library), so listed only with --all.
    let long = "shanghai-community-public-cultural-service-provisions-2012";
    let table = std::process::Command::new(lawdex)
        .args(["gaps", "--all", "--corpus"])
        .arg(&dir)
        .output()
        .expect("run lawdex");
    let text = String::from_utf8_lossy(&table.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("shanghai-community"))
        .unwrap_or_else(|| panic!("no row:\n{text}"));
    assert!(line.starts_with(&format!("{long} ")), "{line}");
    assert!(!text.contains('…'), "{text}");

    let json = |extra: &[&str]| -> serde_json::Value {
        let out = std::process::Command::new(lawdex)
            .args(["gaps", "--format", "json", "--corpus"])
            .arg(&dir)
            .args(extra)
            .output()
            .expect("run lawdex");
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let has_suggestions = |v: &serde_json::Value| {
        v["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .any(|d| {
                d["obligations"]
                    .as_array()
                    .expect("cells")
                    .iter()
                    .any(|c| c.get("suggestions").is_some())
            })
    };
    let matrix = json(&[]);
    assert_eq!(matrix["documents"].as_array().map(Vec::len), Some(3));
    assert!(
        !has_suggestions(&matrix),
        "a matrix got model clauses unasked"
    );
    assert!(has_suggestions(&json(&["--suggestions", "2"])));
    let one = json(&["--doc", "shanghai-public-cultural-service-regulations-2020"]);
    assert!(
        has_suggestions(&one),
        "a single document gets model clauses by default"
    );
    assert!(
        !has_suggestions(&json(&["--doc", long])),
        "a document out of scope is never offered model clauses"
    );
    for d in matrix["documents"].as_array().expect("documents") {
        assert!(d["scope"].is_string(), "every document states its scope");
        if d["doc_id"] == long {
            assert_eq!(d["scope"], "none", "{}", d["scope_reason"]);
        }
    }
}

/// Issue 8 item 3: the Vietnamese library law (`unknown` before: no cues in Vietnamese) is read
/// with cues written from the taxonomy's meaning, and the Korean library acts are about
/// libraries throughout.
#[test]
fn the_vietnamese_library_law_is_read_and_the_korean_acts_are_primary() {
    let Some(real) = real_dir() else { return };
    let corpus = load(&[
        real.join("vn"),
        real.join("kr/library-act.md"),
        real.join("kr/small-library-promotion-act.md"),
    ]);
    let m = matcher();
    let cov = CorpusCoverage::compute(&m, &corpus.documents);
    let rows: Vec<usize> = (0..corpus.documents.len()).collect();
    let report = cov.report(&rows, &[], ReportOptions::default());
    assert_eq!(report.documents.len(), 3);
    for d in &report.documents {
        assert!(d.unknown.is_none(), "{}: {:?}", d.doc_id, d.unknown);
        assert_eq!(d.scope, Some(coverage::Scope::Primary), "{}", d.doc_id);
    }
    let vn = report
        .documents
        .iter()
        .find(|d| d.language == "vi")
        .expect("Vietnamese row");
    assert!(vn.covered >= 15, "{} covered", vn.covered);
    let free = vn
        .obligations
        .iter()
        .find(|c| c.id == "free-basic-services")
        .expect("cell");
    assert_eq!(free.state, State::Covered);
    assert!(
        free.evidence.iter().any(|e| e.snippet.contains("miễn phí")),
        "{:?}",
        free.evidence
    );
    assert!(
        free.strength > Some(Strength::Principle),
        "a Vietnamese modal was read"
    );
}

/// Round five (train5): a tax law naming libraries only among the items it exempts is out of
/// scope; a government's duty to build library facilities is planning; a channel giving the
/// public a say about the document's work is a general provision for complaints, and 市民政部门
/// (the city's civil-affairs department) is not the public.
#[test]
fn a_tax_exemption_is_no_duty_and_the_publics_complaints_reach_the_library() {
    let tax = titled(
        "tax",
        "某某增值税法",
        &[
            "纳税人应当依照本法缴纳增值税。",
            "下列项目免征增值税：\n（一）医疗机构提供的医疗服务；\n（二）博物馆、图书馆举办文化活动的门票收入。",
        ],
    );
    let civility = titled(
        "civility",
        "某市文明行为促进条例",
        &[
            "公共图书馆应当开展阅读推广活动。",
            "市、县人民政府和有关部门应当加强公共图书馆、城市书房等阅读设施建设。",
            "公民可以通过政务服务热线投诉、举报不文明行为。",
        ],
    );
    let civil_affairs = titled(
        "civil-affairs",
        "某市文明行为促进条例",
        &[
            "公共图书馆应当开展阅读推广活动。",
            "市民政部门应当建立养老服务信息平台，接受投诉、举报。",
        ],
    );
    let report = external_report(&[tax, civility, civil_affairs]);
    assert_scope(&report, "tax", coverage::Scope::None);
    let funding = cell(&report, "civility", "government-funding-planning");
    assert_eq!(funding.state, State::Covered);
    assert_eq!(funding.evidence[0].article, "第二条");
    let complaints = cell(&report, "civility", "public-supervision-feedback");
    assert_eq!(complaints.state, State::Covered);
    assert!(complaints.evidence[0].general, "{:?}", complaints.evidence);
    assert_eq!(complaints.evidence[0].article, "第三条");
    assert_state(
        &report,
        "civil-affairs",
        "public-supervision-feedback",
        State::Gap,
    );
}

/// What a review of round five's rules broke: 免征 exempts only the items of a tax list, not a
/// library waiving its own fees; a facility cue needs a government as the actor, not one named
/// anywhere in the sentence; a residents' committee is not the public given a say.
#[test]
fn a_library_waiving_its_fees_is_regulated_and_only_governments_build_or_the_public_complains() {
    let waiver = titled(
        "waiver",
        "某市文化市场管理条例",
        &["公共图书馆对未成年人、老年人和残疾人免征借阅押金和办证工本费。"],
    );
    let safety = titled(
        "safety",
        "某市公共图书馆条例",
        &[
            "公共图书馆应当向社会公众开放。",
            "公共图书馆应当配合人民政府开展安全检查，加强安防设施建设。",
        ],
    );
    let committee = titled(
        "committee",
        "某市养犬管理条例",
        &[
            "养犬人不得携犬进入图书馆。图书馆应当在入口设置禁止携犬标志。",
            "居民委员会应当协助处理养犬投诉、举报。",
        ],
    );
    let report = external_report(&[waiver, safety, committee]);
    assert_scope(&report, "waiver", coverage::Scope::Partial);
    assert_state(&report, "waiver", "vulnerable-groups", State::Covered);
    assert_state(&report, "safety", "government-funding-planning", State::Gap);
    assert_scope(&report, "committee", coverage::Scope::Partial);
    assert_state(
        &report,
        "committee",
        "public-supervision-feedback",
        State::Gap,
    );
}

/// Scope, judged again under GUIDE.md: a library that only receives another actor's delivery
/// (legal deposit) or is only one of the means of another activity is not regulated; a library
/// that must deliver is.
#[test]
fn a_library_receiving_deposit_copies_or_named_as_a_means_is_not_regulated() {
    let deposit = titled(
        "deposit",
        "某某地图管理条例",
        &["出版单位出版地图，应当按照国家有关规定向国家图书馆、中国版本图书馆免费送交样本。"],
    );
    let means = titled(
        "means",
        "某市文物保护条例",
        &["鼓励单位和个人通过开办博物馆、图书馆、纪念馆等方式合理利用不可移动文物。"],
    );
    let sender = titled(
        "sender",
        "某市统计条例",
        &["公共图书馆应当每年向文化主管部门报送统计数据。"],
    );
    let report = external_report(&[deposit, means, sender]);
    assert_scope(&report, "deposit", coverage::Scope::None);
    assert_scope(&report, "means", coverage::Scope::None);
    assert_scope(&report, "sender", coverage::Scope::Partial);
}

/// A document regulating libraries among other bodies: the liability that reaches the library
/// is the one on every act violating the document (违反本条例规定的行为，…已规定法律责任的，
/// 从其规定), first among its general provisions; a sanction on another named body (老年教育
/// 机构) or on officials comes after it. The referral itself was no evidence before.
#[test]
fn liability_for_every_act_violating_the_document_is_the_first_evidence() {
    let doc = titled(
        "elder",
        "某省老年教育条例",
        &[
            "公共图书馆应当为老年人提供阅读服务。",
            "违反本条例规定，各级人民政府和有关部门滥用职权、玩忽职守的，对直接负责的主管人员依法给予处分。",
            "违反本条例规定，老年教育机构未履行安全责任的，由教育行政部门责令改正，处一万元以上三万元以下罚款。",
            "违反本条例规定的行为，法律、行政法规已经规定法律责任的，从其规定。",
        ],
    );
    let report = external_report(&[doc]);
    let liability = cell(&report, "elder", "legal-liability");
    assert_eq!(liability.state, State::Covered);
    let articles: Vec<&str> = liability
        .evidence
        .iter()
        .map(|e| e.article.as_str())
        .collect();
    assert_eq!(articles.first(), Some(&"第四条"), "{articles:?}");
    assert!(liability.evidence.iter().all(|e| e.general), "{articles:?}");

    // Other wordings of every violation rank first too; complying with the document is no
    // violation, and a reader's compensation or a publisher's deposit no sanction on libraries.
    let worded = |id: &str, catch_all: &str| {
        titled(
            id,
            "某市文明行为促进条例",
            &[
                "公共图书馆应当开展阅读推广活动。",
                "违反本条例规定，国家机关工作人员玩忽职守的，依法给予处分。",
                catch_all,
            ],
        )
    };
    let docs = [
        worded(
            "related",
            "违反本条例有关规定的违法行为，法律、法规已有处罚规定的，从其规定。",
        ),
        worded(
            "traditional",
            "違反本條例之行為，其他法律已有處罰規定者，從其規定。",
        ),
        worded("crime", "违反本条例规定，构成犯罪的，依法追究刑事责任。"),
        worded(
            "other-laws",
            "违反本条例，有关法律、法规已有法律责任规定的，从其规定。",
        ),
        worded(
            "complying",
            "对模范遵守本条例的行为，由市人民政府给予表彰和奖励，依法追究责任。",
        ),
        worded(
            "reader",
            "读者违反本条例规定，损坏或者遗失馆藏文献的，应当依法承担赔偿责任。",
        ),
        titled(
            "reader-only",
            "某市文明行为促进条例",
            &[
                "公共图书馆应当开展阅读推广活动。",
                "读者违反本条例规定，损坏或者遗失馆藏文献的，应当依法承担赔偿责任。",
                "出版单位违反本条例规定，未缴送出版物的，应当依法承担法律责任。",
            ],
        ),
    ];
    let report = external_report(&docs);
    let first = |doc: &str| {
        let c = cell(&report, doc, "legal-liability");
        c.evidence.first().map(|e| e.article.clone())
    };
    assert_eq!(first("related").as_deref(), Some("第三条"));
    assert_eq!(first("traditional").as_deref(), Some("第三条"));
    // The consequence straight after the violation: the sentence names no act of its own.
    assert_eq!(first("crime").as_deref(), Some("第三条"));
    assert_eq!(first("other-laws").as_deref(), Some("第三条"));
    assert_eq!(first("complying").as_deref(), Some("第二条"));
    assert_eq!(first("reader").as_deref(), Some("第二条"));
    assert_state(&report, "reader-only", "legal-liability", State::Gap);

    // Officials' dereliction in the document's work is a sanction on the authorities that carry
    // it out: evidence where nothing else is, after a sanction on every violation.
    let derelict = |id: &str, more: &[&str]| {
        let mut articles = vec![
            "图书馆应当开展科普活动。",
            "国家机关工作人员在科普工作中玩忽职守、滥用职权的，依法给予处分。",
        ];
        articles.extend(more);
        titled(id, "某市科学技术普及条例", &articles)
    };
    let report = external_report(&[
        titled(
            "derelict-complaints",
            "某市科学技术普及条例",
            &[
                "图书馆应当开展科普活动。",
                "残疾人联合会工作人员对残疾人的投诉、举报不予处理，玩忽职守、滥用职权的，依法给予处分。",
            ],
        ),
        derelict("derelict-only", &[]),
        derelict(
            "derelict-and-all",
            &["违反本条例规定，构成犯罪的，依法追究刑事责任。"],
        ),
        derelict(
            "derelict-and-everyone",
            &["任何单位和个人截留、挪用科普经费的，对直接责任人员依法给予处分。"],
        ),
    ]);
    // Only a sanction: the complaints the officials ignored are no channel of the document.
    assert_state(
        &report,
        "derelict-complaints",
        "public-supervision-feedback",
        State::Gap,
    );
    let only = cell(&report, "derelict-only", "legal-liability");
    assert_eq!(only.state, State::Covered);
    assert!(only.evidence[0].general);
    assert_eq!(only.evidence[0].article, "第二条");
    for doc in ["derelict-and-all", "derelict-and-everyone"] {
        let c = cell(&report, doc, "legal-liability");
        assert_eq!(c.evidence[0].article, "第三条", "{doc}");
    }
}

/// Keeping readers' personal data (保護讀者之個人資料及借閱紀錄: 資料 is "data" here, not
/// "materials") is reader privacy, not preserving heritage; it was offered as a model clause
/// for heritage preservation.
#[test]
fn protecting_readers_personal_data_is_no_heritage_preservation() {
    let doc = titled(
        "privacy",
        "某縣公共圖書館自治條例",
        &[
            "公共圖書館應保護讀者之個人資料及借閱紀錄。",
            "公共圖書館應保存地方文獻。",
        ],
    );
    let privacy_only = titled(
        "privacy-only",
        "某縣公共圖書館自治條例",
        &["公共圖書館應保護讀者之個人資料及借閱紀錄。"],
    );
    let report = external_report(&[doc, privacy_only]);
    let heritage = cell(&report, "privacy", "heritage-preservation");
    assert_eq!(heritage.state, State::Covered);
    let cited: Vec<&str> = heritage
        .evidence
        .iter()
        .map(|e| e.article.as_str())
        .collect();
    assert_eq!(cited, ["第二条"]);
    assert_state(&report, "privacy-only", "heritage-preservation", State::Gap);
    assert_state(&report, "privacy-only", "reader-privacy", State::Covered);
    // An archive's records that hold personal information are still heritage.
    let archive = titled(
        "archive",
        "某市档案条例",
        &["档案馆、图书馆应当妥善保存和保护馆藏档案资料，包括记载个人信息的历史档案。"],
    );
    let report = external_report(&[archive]);
    assert_state(&report, "archive", "heritage-preservation", State::Covered);
}

/// A class the document itself puts libraries in carries the duties it binds the class to: an
/// enumeration ending in a class (公共图书馆、农家书屋和城市书房等阅读设施) and the lead-in of a list
/// whose item names libraries (下列公共场所禁止吸烟：…图书馆…). A narrower body (革命文物阅读设施)
/// or the class as a topic (…公共场所禁止吸烟的宣传教育) carries nothing.
#[test]
fn a_class_the_document_puts_libraries_in_carries_their_duties() {
    let reading = titled(
        "civil",
        "某市文明行为促进条例",
        &[
            "县级以上人民政府应当建设公共图书馆、农家书屋和城市书房等阅读设施。",
            "鼓励阅读设施管理单位向公民提供阅读指导和阅读交流服务。",
            "违反本条例规定的，由有关部门责令改正。",
        ],
    );
    let smoking = titled(
        "smoke",
        "某市公共场所禁止吸烟规定",
        &[
            "下列公共场所禁止吸烟：\n（一）影剧院；\n（二）图书馆的阅览室。",
            "禁止吸烟的公共场所的管理单位应当设置禁止吸烟标志。",
            "禁止吸烟的公共场所的管理单位违反本规定第二条规定的，由卫生行政管理部门处五百元罚款。",
            "宣传、文化等部门应当开展公共场所禁止吸烟的宣传教育。",
        ],
    );
    let narrower = titled(
        "relics",
        "某市红色资源保护条例",
        &[
            "公共图书馆、纪念馆等阅读设施应当按照规定开放。",
            "鼓励革命文物阅读设施向公众开展阅读推广活动。",
        ],
    );
    let report = external_report(&[reading, smoking, narrower]);
    assert_scope(&report, "civil", coverage::Scope::Partial);
    assert!(
        row(&report, "civil").scope_reason.contains("阅读设施"),
        "{}",
        row(&report, "civil").scope_reason
    );
    let guidance = cell(&report, "civil", "reading-and-education");
    assert_eq!(guidance.state, State::Covered);
    let first = &guidance.evidence[0];
    assert_eq!(first.article, "第二条");
    assert!(
        !first.general,
        "the class names libraries: specific evidence"
    );

    let fine = cell(&report, "smoke", "legal-liability");
    assert_eq!(fine.state, State::Covered);
    assert_eq!(fine.evidence[0].article, "第三条");
    assert!(!fine.evidence[0].general);
    // The campaign on smoking in public places is the departments' work, not the library's.
    assert_state(&report, "smoke", "reading-and-education", State::Gap);
    assert_state(&report, "relics", "reading-and-education", State::Gap);
}

/// A sanction on a violator the sentence names before the instrument (学校违反本条例规定的)
/// reaches libraries only if they are that actor: a sentence opening with the violation, or
/// naming everyone the document binds, ranks before it. A sentence first on carrying the
/// instrument out (对执行本条例的情况进行监督检查，对违反本条例的单位…) is no such sanction.
#[test]
fn a_sanction_on_a_named_violator_ranks_after_one_on_any_violation() {
    let doc = titled(
        "school",
        "某市学校教育条例",
        &[
            "公共图书馆应当为中小学生提供阅读服务。",
            "学校违反本条例规定，不履行安全职责的，由教育行政部门责令改正，给予警告，并处一万元以上三万元以下罚款；构成犯罪的，依法追究刑事责任。",
            "违反本条例规定，侵犯学生合法权益的，依法承担民事责任。",
        ],
    );
    let everyone = titled(
        "everyone",
        "某市学校教育条例（二）",
        &[
            "公共图书馆应当为中小学生提供阅读服务。",
            "学校违反本条例规定，不履行安全职责的，由教育行政部门责令改正，给予警告，并处一万元以上三万元以下罚款；构成犯罪的，依法追究刑事责任。",
            "任何单位和个人违反本条例规定，侵犯学生合法权益的，依法承担民事责任。",
        ],
    );
    let consequence = titled(
        "consequence",
        "某市学校教育条例（四）",
        &[
            "公共图书馆应当为中小学生提供阅读服务。",
            "学校违反本条例规定，构成犯罪的，依法追究刑事责任。",
            "违反本条例规定，侵犯学生合法权益的，依法承担民事责任。",
        ],
    );
    let oversight = titled(
        "oversight",
        "某市学校教育条例（三）",
        &[
            "公共图书馆应当为中小学生提供阅读服务。",
            "学校违反本条例规定的，由教育行政部门给予警告。",
            "人民政府有关部门应当对执行本条例的情况进行监督检查，对违反本条例的单位责令改正。",
        ],
    );
    let report = external_report(&[doc, everyone, oversight, consequence]);
    for id in ["school", "everyone", "consequence"] {
        let liability = cell(&report, id, "legal-liability");
        assert_eq!(liability.state, State::Covered, "{id}");
        let articles: Vec<&str> = liability
            .evidence
            .iter()
            .map(|e| e.article.as_str())
            .collect();
        assert_eq!(articles.first(), Some(&"第三条"), "{id}: {articles:?}");
    }
    let checks = cell(&report, "oversight", "oversight-evaluation");
    assert_eq!(checks.state, State::Covered);
    assert_eq!(checks.evidence[0].article, "第三条");
}

/// A sentence saying what the instrument covers (从事…及其监督管理活动，适用本条例) is no rule:
/// its cues name the scope, so it is evidence of nothing. Supervision in general words (实施
/// 监督管理) is oversight, ranked after a reward or an evaluation of the work; a people's
/// congress oversees too.
#[test]
fn a_scope_statement_is_no_rule_and_plain_supervision_ranks_after_a_reward() {
    let scope_only = titled(
        "scope",
        "某市全民阅读促进条例",
        &[
            "本市行政区域内的全民阅读促进及其监督管理活动，适用本条例。",
            "公共图书馆应当开展阅读推广活动。",
        ],
    );
    let reward = titled(
        "reward",
        "某市全民阅读促进条例（二）",
        &[
            "本市行政区域内的全民阅读促进及其监督管理活动，适用本条例。",
            "公共图书馆应当开展阅读推广活动。",
            "文化主管部门对全民阅读促进工作实施监督管理。",
            "人民政府对在全民阅读促进工作中做出显著成绩的单位和个人给予表彰。",
        ],
    );
    // The people's congress and the committees a government sets up to run the work oversee it
    // as a government does.
    let congress = titled(
        "congress",
        "某市全民阅读促进条例（三）",
        &[
            "公共图书馆应当开展阅读推广活动。",
            "县级以上人民代表大会常务委员会可以通过听取专项工作报告、开展执法检查等形式，加强对全民阅读促进工作的监督。",
        ],
    );
    let evaluation = titled(
        "evaluation",
        "某市全民阅读促进条例（四）",
        &[
            "公共图书馆应当开展阅读推广活动。",
            "文化主管部门对全民阅读促进工作实施监督管理。",
            "文化主管部门应当定期开展全民阅读促进工作考核评估。",
        ],
    );
    // A deputy is no congress, and a mass organisation's committee no government's.
    let deputies = titled(
        "deputies",
        "某市全民阅读促进条例（五）",
        &[
            "公共图书馆应当开展阅读推广活动。",
            "人民代表大会代表可以对全民阅读促进工作开展视察和评估。",
            "关心下一代工作委员会应当组织开展青少年读书评比活动。",
        ],
    );
    let report = external_report(&[scope_only, reward, congress, evaluation, deputies]);
    let ranked: Vec<&str> = cell(&report, "evaluation", "oversight-evaluation")
        .evidence
        .iter()
        .map(|e| e.article.as_str())
        .collect();
    assert_eq!(ranked, ["第三条", "第二条"]);
    let none = cell(&report, "deputies", "oversight-evaluation");
    assert_eq!(none.state, State::Gap, "{:?}", none.evidence);
    let checks = cell(&report, "congress", "oversight-evaluation");
    assert_eq!(checks.state, State::Covered);
    assert_eq!(checks.evidence[0].article, "第二条");
    let none = cell(&report, "scope", "oversight-evaluation");
    assert_eq!(none.state, State::Gap, "{:?}", none.evidence);
    let oversight = cell(&report, "reward", "oversight-evaluation");
    assert_eq!(oversight.state, State::Covered);
    let articles: Vec<&str> = oversight
        .evidence
        .iter()
        .map(|e| e.article.as_str())
        .collect();
    assert_eq!(articles, ["第四条", "第三条"]);
}

/// Issue 8 item 2: a gap is borderline where a cue of the obligation occurs that no clause
/// states (free bookmarks are no free service), firm where nothing touches it, in a document
/// that regulates libraries only in part as in any other; a firm gap there gives the partial
/// scope as its reason.
#[test]
fn a_gap_is_borderline_only_where_a_cue_occurs() {
    let partial = titled(
        "reading",
        "某市全民阅读促进条例",
        &[
            "市人民政府应当加强对全民阅读工作的领导。",
            "新闻出版主管部门负责全民阅读促进工作。",
            "公共图书馆应当开展阅读推广活动。",
            "公共图书馆可以向读者免费赠送书签。",
            "本条例自公布之日起施行。",
        ],
    );
    let report = external_report(&[partial]);
    assert_scope(&report, "reading", coverage::Scope::Partial);
    let free = cell(&report, "reading", "free-basic-services");
    assert_eq!(free.state, State::Gap);
    assert_eq!(free.confidence, Some(coverage::Confidence::Borderline));
    let privacy = cell(&report, "reading", "reader-privacy");
    assert_eq!(privacy.state, State::Gap);
    assert_eq!(privacy.confidence, Some(coverage::Confidence::Firm));
    assert!(
        privacy
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("only in part")),
        "{:?}",
        privacy.reason
    );
}
