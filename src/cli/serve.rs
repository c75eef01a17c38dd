//! `lawdex serve`: the web pages and the JSON API over the index, on 127.0.0.1 by default.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result};

use lawdex::serve::{self, Settings};

use super::index::DataDir;
use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataDir,
    /// Address and port to listen on; port 0 picks a free one. Anything but a loopback
    /// address makes the pages reachable from other machines.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    bind: SocketAddr,
    /// Largest draft accepted by /draft and /api/gaps/draft, in bytes.
    #[arg(long, default_value_t = 4 * 1024 * 1024, value_name = "BYTES")]
    max_upload: usize,
    /// Searches and coverage reports computed at once (more wait). Default: the CPU count.
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Longest a request may take, in seconds (then 503).
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    timeout: u64,
    /// Longest a client may take to send its request headers, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    header_timeout: u64,
}

pub fn run(args: Args) -> Result<Outcome> {
    let mut settings = Settings::new(args.data.resolve());
    settings.max_upload = args.max_upload;
    if let Some(n) = args.workers {
        settings.workers = n.max(1);
    }
    settings.request_timeout = Duration::from_secs(args.timeout.max(1));
    settings.header_timeout = Duration::from_secs(args.header_timeout.max(1));
    let data_dir = settings.data_dir.clone();
    if !args.bind.ip().is_loopback() {
        writeln!(
            std::io::stderr(),
            "lawdex: warning: listening on {}: the pages and API are reachable from other machines",
            args.bind
        )?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime
        .block_on(serve::serve(settings, args.bind, |addr| {
            // One line, flushed: scripts and tests read the URL from it.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "lawdex: serving {} on http://{addr}/ (Ctrl-C stops)",
                data_dir.display()
            );
            let _ = out.flush();
        }))
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    Ok(Outcome::Success)
}
