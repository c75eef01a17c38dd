//! The README's quick start, run on the bundled sample corpus with the test build of the
//! binary: index, search and gaps give what the README shows.

use std::path::PathBuf;
use std::process::Command;

fn lawdex(args: &[&str], data: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lawdex"))
        .args(args)
        .env("LAWDEX_DATA", data)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run lawdex")
}

#[test]
fn quick_start_indexes_searches_and_reports_the_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus-manifest/sample.toml");
    assert!(
        manifest.is_file(),
        "the sample manifest ships with the project"
    );

    let index = lawdex(&["index", "corpus-manifest/sample.toml"], &data);
    let stdout = String::from_utf8_lossy(&index.stdout);
    assert_eq!(
        index.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&index.stderr)
    );
    assert!(
        stdout.contains("indexed 4 documents, 39 clauses"),
        "{stdout}"
    );

    let search = lawdex(&["search", "图书馆", "免费"], &data);
    let stdout = String::from_utf8_lossy(&search.stdout);
    assert_eq!(search.status.code(), Some(0));
    // Traditional and Simplified meet: the Traditional ordinance's 第三條 answers first.
    let first = stdout.lines().next().unwrap_or("");
    assert!(
        first.contains("《範原縣公共圖書館自治條例》第三條"),
        "{stdout}"
    );

    // A citation, with a title shortened as people write it, names the article.
    let cited = lawdex(&["search", "明山市图书馆条例第十二条"], &data);
    let stdout = String::from_utf8_lossy(&cited.stdout);
    assert_eq!(cited.status.code(), Some(0));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].contains("《明山市公共图书馆条例》第十二条"),
        "{stdout}"
    );
    assert_eq!(
        lines[2].trim(),
        "mingshan.public-library-regulations/art12  (第三章 保存与参与)"
    );
    assert!(
        lines[3].starts_with("read as a citation: 第十二条, 1 provision found"),
        "{stdout}"
    );

    let gaps = lawdex(&["gaps"], &data);
    let stdout = String::from_utf8_lossy(&gaps.stdout);
    assert_eq!(gaps.status.code(), Some(1), "the sample has gaps: {stdout}");
    let mingshan = stdout
        .lines()
        .find(|l| l.starts_with("mingshan.public-library-regulations"))
        .expect("a row for the Mingshan regulations");
    // 19 cells; the fictional text we wrote has no library-association, environment or staff
    // article, and covers everything else.
    let cells: Vec<&str> = mingshan.split_whitespace().skip(1).take(19).collect();
    let gaps_at: Vec<usize> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.eq_ignore_ascii_case("x"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(gaps_at, [15, 18, 19], "{mingshan}");
}
