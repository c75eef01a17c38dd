//! Regenerates docs/findings.md: what lawdex finds, obligation by obligation, in the library
//! laws and regulations of the bulk and real corpora, and what that says about the seed
//! paper's §3.1.1 claim.
//!
//! ```sh
//! dir=$(mktemp -d) && tar --zstd -xf ../shared/corpus/bulk/lawrefbook-laws-2f4c5c2.tar.zst -C "$dir"
//! cargo run --release --example findings -- "$dir/LawRefBook-Laws" ../shared/corpus/real > docs/findings.md
//! ```
//!
//! A library law or regulation is a mainland Chinese document whose coverage scope is
//! `primary` (its title names a library, or at least four in five of its clauses do), in its
//! version in force; copies of one law in both corpora count once. Levels come from SOURCES.tsv where it has them; in the bulk
//! corpus, a local regulation (under DLC/) is provincial when its title starts with a
//! province-level name and municipal otherwise, and every other document is national.
//!
//! Of the documents that regulate libraries among others (`partial`), those the labelled sets
//! (tests/fixtures/coverage-labels) judge out of scope are counted and listed, so that a reader
//! can set their gaps aside: the labels are the annotators' reading, never lawdex's.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use lawdex::coverage::{CorpusCoverage, Matcher, ReportOptions, Scope, State, Strength, Taxonomy};
use lawdex::parse::Limits;

const LEVELS: [&str; 3] = ["national", "provincial", "municipal"];

fn main() -> anyhow::Result<()> {
    let inputs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!inputs.is_empty(), "usage: findings DIR...");
    let corpus = lawdex::ingest::load(&inputs, &Limits::default())?;
    let matcher = Matcher::new(Taxonomy::library_social_responsibility()?)?;
    let cov = CorpusCoverage::compute(&matcher, &corpus.documents);

    // Library laws and regulations of mainland China, one per law: the version in force
    // (its first copy), then one per title across the two corpora, whose jurisdictions are
    // written differently.
    let works = lawdex::work::Works::group(corpus.documents.iter().map(|d| &d.info));
    let in_force = |id: &str| {
        works.of(id).is_none_or(|(w, v)| {
            w.current().is_some_and(|c| {
                std::ptr::eq(c, v) && v.copies.first().is_some_and(|f| f.doc_id == id)
            })
        })
    };
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    let mut levels = Vec::new();
    for (i, d) in corpus.documents.iter().enumerate() {
        let m = cov.matches(i).expect("matched");
        if m.unknown.is_some() || m.scope != Scope::Primary || d.info.language != "zh-Hans" {
            continue;
        }
        if !d.info.jurisdiction.is_empty() && !d.info.jurisdiction.starts_with("CN") {
            continue;
        }
        if !in_force(&d.info.id) || !seen.insert(title_key(&d.info.title)) {
            continue;
        }
        rows.push(i);
        levels.push(level_of(&d.info.level, &d.info.source, &d.info.title));
    }
    let report = cov.report(
        &rows,
        &[],
        ReportOptions {
            max_evidence: 1,
            max_suggestions: 0,
        },
    );

    let n = report.documents.len();
    let per_level: BTreeMap<&str, usize> = LEVELS
        .iter()
        .map(|l| (*l, levels.iter().filter(|x| x == &l).count()))
        .collect();
    println!("# What lawdex finds in Chinese library laws and regulations\n");
    println!("Regenerate with (from the repository root, ../shared beside it):\n");
    println!("```sh");
    println!(
        "dir=$(mktemp -d) && tar --zstd -xf ../shared/corpus/bulk/lawrefbook-laws-2f4c5c2.tar.zst -C \"$dir\""
    );
    println!(
        "cargo run --release --example findings -- \"$dir/LawRefBook-Laws\" ../shared/corpus/real > docs/findings.md"
    );
    println!("```\n");
    println!(
        "The set: every mainland Chinese document of the bulk corpus (LawRefBook-Laws, 3,504 \
         files) and of corpus/real whose scope against the taxonomy `{}` is `primary` (its title \
         names a library, or at least four in five of its clauses do), one per text: **{n} library laws and \
         regulations**: {} national, {} provincial, {} municipal. Documents that regulate \
         libraries among other bodies (public cultural service, reading promotion) are `partial` \
         and are not in this set. Each cell was judged by lawdex's matcher; on held-out labelled \
         documents it was right on 0.909 of cells on the 43 documents labelled blind and never \
         tuned on (817 cells: 0.921 and 0.878 on two splits of 16, labelled twice with disputes \
         adjudicated, with 0.921 and 0.880 of their gaps true gaps; 0.938 on a third split of \
         11, with 0.932; on the 688 of those cells the annotators marked firm rather than \
         borderline, 0.956), and on 0.919 of the 1,501 cells of all nine held-out splits \
         (tests/fixtures/coverage-floor.toml, BENCHMARKS.md), so read the counts as lawdex's \
         reading, with the example clauses to check it.\n",
        report.taxonomy, per_level["national"], per_level["provincial"], per_level["municipal"]
    );
    println!("| Level | Documents |\n|---|---|");
    for (d, level) in report.documents.iter().zip(&levels) {
        println!("| {level} | {} (`{}`) |", d.title, d.doc_id);
    }

    println!("\n## Per obligation\n");
    println!(
        "Covered = at least one clause addresses the obligation; the strength is that of its \
         strongest clause (M mandatory, P permissive, E encouraged, S principle); firm = the \
         clause states it, borderline = it only mentions a cue. Counts are documents, as \
         national / provincial / municipal.\n"
    );
    println!("| Obligation | Covered (nat / prov / mun) | of which mandatory | firm | Gaps | M / P / E / S |");
    println!("|---|---|---|---|---|---|");
    let mut examples = Vec::new();
    for (oi, o) in report.obligations.iter().enumerate() {
        let mut covered = [0usize; 3];
        let mut mandatory = 0;
        let mut firm = 0;
        let mut gaps = 0;
        let mut by_strength: BTreeMap<Strength, usize> = BTreeMap::new();
        let mut best: Option<(usize, &lawdex::coverage::Evidence, &str)> = None;
        for (d, level) in report.documents.iter().zip(&levels) {
            let c = &d.obligations[oi];
            match c.state {
                State::Covered => {
                    let li = LEVELS.iter().position(|l| l == level).unwrap_or(2);
                    covered[li] += 1;
                    let s = c.strength.unwrap_or(Strength::Principle);
                    *by_strength.entry(s).or_default() += 1;
                    mandatory += usize::from(s == Strength::Mandatory);
                    firm += usize::from(c.confidence == Some(lawdex::coverage::Confidence::Firm));
                    if let Some(e) = c.evidence.first() {
                        let better = match best {
                            None => true,
                            Some((bli, be, _)) => {
                                (e.confidence, e.strength, std::cmp::Reverse(li))
                                    > (be.confidence, be.strength, std::cmp::Reverse(bli))
                            }
                        };
                        if better {
                            best = Some((li, e, d.title.as_str()));
                        }
                    }
                }
                State::Gap => gaps += 1,
                _ => {}
            }
        }
        let total: usize = covered.iter().sum();
        println!(
            "| `{}` {} | {total} of {n} ({} / {} / {}) | {mandatory} | {firm} | {gaps} | {} / {} / {} / {} |",
            o.id,
            o.title.get("zh").cloned().unwrap_or_default(),
            covered[0],
            covered[1],
            covered[2],
            by_strength.get(&Strength::Mandatory).unwrap_or(&0),
            by_strength.get(&Strength::Permissive).unwrap_or(&0),
            by_strength.get(&Strength::Encouraged).unwrap_or(&0),
            by_strength.get(&Strength::Principle).unwrap_or(&0),
        );
        if let Some((_, e, title)) = best {
            examples.push(format!(
                "- `{}`: {} {} ({}, {}): «{}»",
                o.id,
                title,
                e.label,
                e.strength,
                e.confidence.name(),
                e.snippet
            ));
        }
    }
    println!("\n### An example clause per obligation\n");
    println!("The firmest, strongest clause found, national before local:\n");
    for e in &examples {
        println!("{e}");
    }

    // §3.1.1: local library regulations do not clearly stipulate social responsibility.
    let explicit = report
        .obligations
        .iter()
        .position(|o| o.id == "explicit-social-responsibility")
        .expect("obligation");
    let local: Vec<usize> = levels
        .iter()
        .enumerate()
        .filter(|(_, l)| **l != "national")
        .map(|(i, _)| i)
        .collect();
    let naming = |i: usize, words: &[&str]| {
        corpus.documents[rows[i]]
            .clauses
            .iter()
            .any(|c| words.iter().any(|w| c.text.contains(w)))
    };
    let local_literal = local.iter().filter(|&&i| naming(i, &["社会责任"])).count();
    let local_mission = local
        .iter()
        .filter(|&&i| report.documents[i].obligations[explicit].state == State::Covered)
        .count();
    let mean_covered = |set: &[usize]| {
        if set.is_empty() {
            0.0
        } else {
            set.iter()
                .map(|&i| report.documents[i].covered as f64)
                .sum::<f64>()
                / set.len() as f64
        }
    };
    let mandatory_cells = |set: &[usize]| {
        set.iter()
            .map(|&i| {
                report.documents[i]
                    .obligations
                    .iter()
                    .filter(|c| c.strength == Some(Strength::Mandatory))
                    .count()
            })
            .sum::<usize>() as f64
            / set.len().max(1) as f64
    };
    let national: Vec<usize> = (0..n).filter(|i| levels[*i] == "national").collect();
    println!("\n## The claim of §3.1.1\n");
    println!(
        "The seed paper (§3.1.1) says that \"the existing provincial and municipal local laws and \
         regulations regulating library behavior have not clearly stipulated the social \
         responsibility of libraries, let alone put forward specific practical requirements\", and \
         that a national library law is lacking.\n"
    );
    println!(
        "- **The words: confirmed.** Of the {} provincial and municipal library regulations, {} \
         use the phrase 社会责任 anywhere in their text.",
        local.len(),
        local_literal
    );
    let ids: Vec<&str> = report.obligations.iter().map(|o| o.id.as_str()).collect();
    let count_local = |oi: usize, f: &dyn Fn(&lawdex::coverage::Cell) -> bool| {
        local
            .iter()
            .filter(|&&i| f(&report.documents[i].obligations[oi]))
            .count()
    };
    let mut as_duty: Vec<String> = Vec::new();
    let mut rare: Vec<(usize, String)> = Vec::new();
    for (oi, id) in ids.iter().enumerate() {
        let duty = count_local(oi, &|c| c.strength == Some(Strength::Mandatory));
        let covered = count_local(oi, &|c| c.state == State::Covered);
        if duty * 2 > local.len() {
            as_duty.push(format!("`{id}` ({duty})"));
        }
        rare.push((covered, format!("`{id}` ({covered} of {})", local.len())));
    }
    rare.sort();
    let rarest: Vec<String> = rare
        .iter()
        .filter(|r| r.0 < local.len())
        .take(4)
        .map(|r| r.1.clone())
        .collect();
    println!(
        "- **The substance: qualified.** {} of the {} state the library's public-welfare mission \
         (公益性, the citizens' basic cultural rights) in lawdex's reading, and on average a local \
         regulation addresses {:.1} of the taxonomy's 19 obligations, {:.1} of them in mandatory \
         terms (应当, 必须, 不得). Stated as a duty in more than half of them: {}. Least often \
         addressed: {}.",
        local_mission,
        local.len(),
        mean_covered(&local),
        mandatory_cells(&local),
        as_duty.join(", "),
        rarest.join(", ")
    );
    println!(
        "- **The national law: no longer lacking.** The set holds {} national {}: the Public \
         Library Law (2017, amended 2018), which addresses {:.1} of the 19 obligations, {:.1} of \
         them in mandatory terms.",
        national.len(),
        if national.len() == 1 {
            "document"
        } else {
            "documents"
        },
        mean_covered(&national),
        mandatory_cells(&national)
    );
    println!(
        "- **How far this reaches.** The two corpora hold only {} mainland library laws and \
         regulations, so these are counts of a small set, not a census of Chinese local \
         legislation; the documents that regulate libraries among other bodies follow.",
        n
    );

    // Documents that regulate libraries among other bodies.
    let mut partial_rows = Vec::new();
    let mut seen_partial = HashSet::new();
    for (i, d) in corpus.documents.iter().enumerate() {
        let m = cov.matches(i).expect("matched");
        if m.unknown.is_none()
            && m.scope == Scope::Partial
            && d.info.language == "zh-Hans"
            && seen_partial.insert(title_key(&d.info.title))
            && !seen.contains(&title_key(&d.info.title))
        {
            partial_rows.push(i);
        }
    }
    let partial = cov.report(
        &partial_rows,
        &[],
        ReportOptions {
            max_evidence: 1,
            max_suggestions: 0,
        },
    );
    println!("\n## Documents that regulate libraries among other bodies\n");
    println!(
        "{} mainland documents are `partial`: they name libraries (or public cultural facilities \
         defined to include them) among other bodies: public cultural service and reading \
         regulations, disability, minors and heritage laws, the criminal law's art. 327. Per \
         obligation, how many address it in a clause about libraries, and how many only through \
         a general provision of the whole document (borderline by construction):\n",
        partial.documents.len()
    );
    let judged_none = judged_out_of_scope(&partial_rows, &corpus.documents)?;
    println!(
        "| Obligation | Specific clause | General provision only | Gap | of which in documents \
         judged `none` |\n|---|---|---|---|---|"
    );
    for (oi, id) in ids.iter().enumerate() {
        let (mut specific, mut general, mut gap, mut gap_none) = (0, 0, 0, 0);
        for (d, &row) in partial.documents.iter().zip(&partial_rows) {
            let c = &d.obligations[oi];
            match c.state {
                State::Covered if c.evidence.first().is_some_and(|e| e.general) => general += 1,
                State::Covered => specific += 1,
                State::Gap => {
                    gap += 1;
                    gap_none += usize::from(judged_none.0.contains(&row));
                }
                _ => {}
            }
        }
        println!("| `{id}` | {specific} | {general} | {gap} | {gap_none} |");
    }
    println!(
        "\n**How sure the scope is.** {} of these {} documents are in the labelled sets \
         (tests/fixtures/coverage-labels, judged by annotators who read the laws and never \
         lawdex's output). The annotators judged {} of them `none`: they name libraries only in \
         passing (a dog ban at the door, copies deposited with a library, a library marked on \
         maps, an authority's list of facilities to build), with no rule on a library's own \
         work, so nothing lawdex reports for them (their gaps are the last column) is a \
         finding about libraries:\n",
        judged_none.1,
        partial_rows.len(),
        judged_none.0.len()
    );
    for &row in &judged_none.0 {
        println!("- {}", corpus.documents[row].info.title);
    }
    // lawdex's own doubt: documents in scope only through such passing mentions.
    let doubted: Vec<(usize, &str)> = partial
        .documents
        .iter()
        .zip(&partial_rows)
        .filter(|(d, _)| d.scope_doubt.is_some())
        .map(|(d, &row)| (row, d.title.as_str()))
        .collect();
    println!(
        "\nlawdex itself marks the scope of {} of the {} documents as in doubt, every cell \
         borderline: each names libraries only as a place where others are forbidden an act \
         (a dog ban, a ban on entertainment business in a library), where others must \
         deposit copies, or among the facilities or undertakings an authority develops, \
         supports or founds (the constitution's 国家发展…图书馆博物馆文化馆和其他文化事业). {} of them are among those the annotators judged `none`:\n",
        doubted.len(),
        partial_rows.len(),
        doubted
            .iter()
            .filter(|(row, _)| judged_none.0.contains(row))
            .count()
    );
    for (row, title) in &doubted {
        let judged = if judged_none.0.contains(row) {
            " (judged `none`)"
        } else {
            ""
        };
        println!("- {title}{judged}");
    }
    Ok(())
}

/// The rows among `rows` that the labelled sets (tests/fixtures/coverage-labels, written by
/// annotators blind to lawdex) judged out of scope, and how many of `rows` they label at all:
/// a reader should know which gaps are in documents that name libraries only in passing.
fn judged_out_of_scope(
    rows: &[usize],
    documents: &[lawdex::model::SegmentedDoc],
) -> anyhow::Result<(Vec<usize>, usize)> {
    #[derive(serde::Deserialize)]
    struct Labels {
        doc: Vec<Label>,
    }
    #[derive(serde::Deserialize)]
    struct Label {
        file: String,
        scope: String,
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coverage-labels");
    let mut scopes: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path)?;
            let labels: Labels =
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            for l in labels.doc {
                scopes.insert(format!("/{}", l.file), l.scope);
            }
        }
    }
    let mut labelled = 0;
    let mut none = Vec::new();
    for &row in rows {
        let source = documents[row].info.source.replace('\\', "/");
        if let Some((_, scope)) = scopes
            .iter()
            .find(|(file, _)| source.ends_with(file.as_str()))
        {
            labelled += 1;
            if scope == "none" {
                none.push(row);
            }
        }
    }
    Ok((none, labelled))
}

/// A title without its edition notes and the state's name, to count one law once across the
/// corpora: 中华人民共和国公共图书馆法（2018修正） and 公共图书馆法 are one law.
fn title_key(title: &str) -> String {
    let key = lawdex::work::title_key(title);
    key.trim_start_matches("中华人民共和国").to_string()
}

const PROVINCE_LEVEL: &[&str] = &["北京市", "上海市", "天津市", "重庆市"];

fn level_of(level: &str, source: &str, title: &str) -> &'static str {
    match level {
        "national" => return "national",
        "provincial" => return "provincial",
        "municipal" => return "municipal",
        _ => {}
    }
    if !source.contains("/DLC/") {
        return "national";
    }
    let head: String = title.chars().take(8).collect();
    let provincial = PROVINCE_LEVEL.iter().any(|p| title.starts_with(p))
        || head.contains('省')
        || head.contains("自治区");
    if provincial {
        // 浙江省杭州市… is a city's regulation approved by the province.
        let after = head.split(['省', '区']).nth(1).unwrap_or("");
        if after.contains('市') && !PROVINCE_LEVEL.iter().any(|p| title.starts_with(p)) {
            "municipal"
        } else {
            "provincial"
        }
    } else {
        "municipal"
    }
}
