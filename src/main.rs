//! The `hearsay` binary: parse the command line, start logging, call the
//! library, map errors to exit codes. Everything else lives in the library.

mod cli;
mod commands;
mod output;

use clap::Parser;
use cli::{Cli, ExitCode};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "hearsay=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::Failure.into();
        }
    };
    match runtime.block_on(commands::dispatch(cli)) {
        Ok(code) => code.into(),
        Err(err) => exit_for(&err).into(),
    }
}

/// Prints the error chain and picks the exit code for it.
fn exit_for(err: &anyhow::Error) -> ExitCode {
    // `hearsay search … | head` closing the pipe is not an error.
    if err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::Ok;
    }
    eprintln!("error: {err:#}");
    for cause in err.chain() {
        if cause.is::<hearsay::config::ConfigError>()
            || cause.is::<hearsay::respond::RespondError>()
        {
            return ExitCode::Config;
        }
        if cause.is::<hearsay::store::StoreError>() {
            return ExitCode::Storage;
        }
        if let Some(p) = cause.downcast_ref::<hearsay::pipeline::PipelineError>() {
            return match p {
                hearsay::pipeline::PipelineError::Store(_) => ExitCode::Storage,
                hearsay::pipeline::PipelineError::UnknownSource(_) => ExitCode::NotFound,
                _ => ExitCode::Failure,
            };
        }
        if cause.is::<commands::NotFound>() {
            return ExitCode::NotFound;
        }
    }
    ExitCode::Failure
}
