//! The `feidi` binary: parses arguments and maps failures to exit codes
//! (2 for bad input, 1 for failures while working).

use clap::Parser;

fn main() {
    let cli = feidi::cli::Cli::parse();
    if let Err(failure) = feidi::cli::main(cli) {
        eprintln!("{}", failure.message());
        std::process::exit(failure.exit_code());
    }
}
