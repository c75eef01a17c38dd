//! `lawdex parse` (to be written).

use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<Outcome> {
    anyhow::bail!("lawdex parse is not implemented yet")
}
