//! robots.txt handling as crawl/fetch.rs does it: parse with lawdex's user agent, ask whether
//! URLs are allowed, and turn Crawl-delay into a wait.
#![no_main]

use std::time::Duration;

use lawdex::crawl::manifest::DEFAULT_USER_AGENT;
use libfuzzer_sys::fuzz_target;

const URLS: [&str; 4] = [
    "https://example.org/",
    "https://example.org/laws/1.html?x=1#a",
    "https://example.org/%E6%B3%95/law.pdf",
    "https://example.org/robots.txt",
];

fuzz_target!(|data: &[u8]| {
    let Ok(robot) = texting_robots::Robot::new(DEFAULT_USER_AGENT, data) else {
        return;
    };
    for url in URLS {
        let _ = robot.allowed(url);
    }
    // The same arithmetic as Fetcher::delay.
    let _ = robot
        .delay
        .filter(|d| d.is_finite() && *d > 0.0)
        .map(|d| Duration::from_secs_f32(d.min(3600.0)));
});
