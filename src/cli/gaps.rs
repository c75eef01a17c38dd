//! `lawdex gaps` (to be written).

use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<Outcome> {
    anyhow::bail!("lawdex gaps is not implemented yet")
}
