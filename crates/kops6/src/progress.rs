//! Progress of `update cluster --yes` and `delete cluster --yes`: on a terminal, one bar with
//! steps started out of the total, the elapsed time and the current step; otherwise (a log, a
//! CI job, a pipe) the library's plain lines, one per step.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kops6_aws::progress::{Lines, ProgressSink, Sink};
use kops6_model::Key;

/// The sink for this process's stderr.
pub fn sink() -> Sink {
    if std::io::stderr().is_terminal() {
        Sink::new(Bar::new(ProgressDrawTarget::stderr()))
    } else {
        Sink::new(Lines::default())
    }
}

/// A bar on stderr. Notes print above it, so they stay on the screen.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new(target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(
            ProgressStyle::with_template("[{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}")
                // A literal template: it parses, or no bar at all would ever be drawn.
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Self { bar }
    }
}

impl ProgressSink for Bar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
        self.bar.reset_elapsed();
        self.bar.enable_steady_tick(Duration::from_millis(250));
    }

    fn step(&self, verb: &str, key: &Key) {
        self.bar.inc(1);
        self.bar.set_message(format!("{verb} {key}"));
    }

    fn note(&self, text: &str) {
        self.bar.println(format!("      {text}"));
    }

    fn finish(&self) {
        self.bar.finish_with_message("done");
    }
}

#[cfg(test)]
mod tests {
    use kops6_model::Kind;

    use super::*;

    #[test]
    fn the_bar_counts_steps_and_shows_the_current_one() {
        let bar = Bar::new(ProgressDrawTarget::hidden());
        bar.start(3);
        bar.step("creating", &Key::new(Kind::Vpc, "c"));
        bar.step("deleting", &Key::new(Kind::Subnet, "s"));
        assert_eq!(bar.bar.length(), Some(3));
        assert_eq!(bar.bar.position(), 2);
        assert_eq!(bar.bar.message(), "deleting Subnet/s");
        bar.finish();
        assert!(bar.bar.is_finished());
    }
}
