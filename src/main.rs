//! The `lawdex` binary: parse arguments, run the command, map the outcome to an exit code.
//! Exit codes: 0 success (hits found), 1 finished but nothing found or some inputs failed,
//! 2 error.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
