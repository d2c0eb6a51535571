//! `kops6`: the command-line edge. Parses flags, reads and writes the state store, prints.
//! The decisions live in the library crates.

mod aws_support;
mod bootstrap_store;
mod cli;
mod commands;
#[cfg(feature = "aws")]
mod progress;
mod store;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let verbose = cli.verbose;
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            report(&err, verbose);
            ExitCode::FAILURE
        }
    }
}

/// `Error:` and its causes. An AWS error that is complete in one line (no credentials) is
/// printed alone, whatever context it was given; the SDK's detail only with `-v`.
fn report(err: &anyhow::Error, verbose: bool) {
    #[cfg(feature = "aws")]
    if let Some(e) = err
        .chain()
        .filter_map(|c| c.downcast_ref::<kops6_aws::AwsError>())
        .find(|e| matches!(e, kops6_aws::AwsError::NoCredentials { .. }))
    {
        eprintln!("Error: {e}");
        if let (true, Some(detail)) = (verbose, e.detail()) {
            eprintln!("  AWS SDK: {detail}");
        }
        return;
    }
    let _ = verbose;
    eprintln!("Error: {err}");
    for cause in err.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let state = cli.state.as_deref();
    match cli.command {
        Command::Create(args) => commands::create::run(state, args)?,
        Command::Replace(args) => commands::replace::run(state, args)?,
        Command::Get(args) => commands::get::run(state, args)?,
        Command::Edit(args) => commands::edit::run(state, args)?,
        Command::Delete(args) => commands::delete::run(state, args)?,
        Command::Update(args) => commands::update::run(state, args)?,
        Command::Export(args) => commands::export::run(state, args)?,
        Command::Validate(args) => commands::validate::run(state, args)?,
        Command::Explain(args) => commands::views::explain(state, args)?,
        Command::Diagram(args) => commands::views::diagram(state, args)?,
        // Like `validate cluster`: a script can test the answer by the exit code.
        Command::Reach(args) => {
            if !commands::views::reach(state, args)? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Completion(args) => commands::version::completion(args)?,
        Command::Version(args) => commands::version::version(args)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `kops6 get clusters | head` must end quietly, not panic in `println!`. Rust ignores
/// SIGPIPE, so a closed pipe surfaces as an error on every write; restoring the default action
/// ends the process silently at the first write to a closed pipe, as other Unix tools do.
/// Applies are crash-safe (tagged at creation, adopted on the next run), so this is safe even
/// mid-apply.
#[cfg(unix)]
fn quiet_on_broken_pipe() {
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid action
    // for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn quiet_on_broken_pipe() {}
