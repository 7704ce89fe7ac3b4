//! The progress bar: records, records/s and ETA on stderr, drawn only when stderr is a
//! terminal (silent in pipes, files and CI logs).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar over `total` records; hidden unless stderr is a terminal.
pub fn records_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let template = "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} records  {per_sec}  ETA {eta}";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
