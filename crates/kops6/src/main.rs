//! `kops6`: the command-line edge. Parses flags, reads and writes the state store, prints.
//! The decisions live in the library crates.

mod aws_support;
mod cli;
mod commands;
mod store;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let state = cli.state.as_deref();
    match cli.command {
        Command::Create(args) => commands::create::run(state, args),
        Command::Replace(args) => commands::replace::run(state, args),
        Command::Get(args) => commands::get::run(state, args),
        Command::Edit(args) => commands::edit::run(state, args),
        Command::Delete(args) => commands::delete::run(state, args),
        Command::Update(args) => commands::update::run(state, args),
    }
}
